"""Which postings run a batch goes into, and which runs to merge next: pure functions over runs.

The postings live in sorted runs, as in a log-structured merge tree (see
:mod:`unspin.index`). Deciding what to do with them needs only each run's
size and whether it is the main run, so the decisions are made here, on
plain :class:`Run` descriptions, and :mod:`unspin.index.postings` carries
them out in SQLite.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from unspin.index.layout import IndexLayout

PRUNED_SHARE_TO_REWRITE = 8
"""A pruning that finds more than 1/8 of the new main run's postings common rewrites the
run at once (mostly the first pruning, which finds about a third)."""


@dataclass(frozen=True, slots=True)
class Run:
    """One sorted run of postings, stored in the table ``postings_<id>``."""

    id: int
    rows: int
    main: bool
    """The run that the last merge of all runs wrote (the oldest and largest)."""

    @property
    def table(self) -> str:
        return f"postings_{self.id}"


@dataclass(frozen=True, slots=True)
class Merge:
    """Runs to replace by one run written in key order."""

    runs: tuple[Run, ...]
    into_main: bool
    """Whether the result becomes the new main run (then common fingerprints are pruned)."""


def level(run: Run, layout: IndexLayout) -> int:
    """A run's size class: level ``n`` holds fewer than ``run_base * fan_in ** (n + 1)`` rows."""
    found, size = 0, layout.run_base * layout.fan_in
    while run.rows >= size:
        found, size = found + 1, size * layout.fan_in
    return found


def run_for_batch(runs: Sequence[Run], layout: IndexLayout) -> Run:
    """The run a new batch's postings go into: the newest while it is small, else a new one.

    A new run (not in ``runs`` yet) has no rows and the next id.
    """
    newest = runs[-1]
    if newest.main or newest.rows >= layout.run_base:
        return Run(newest.id + 1, 0, main=False)
    return newest


def next_merge(runs: Sequence[Run], layout: IndexLayout) -> Merge | None:
    """The merge the layout asks for next, or None when the runs are fine as they are.

    Everything goes into a new main run once the newer runs hold a large enough
    share of the main run's postings; otherwise the lowest level holding
    ``fan_in`` runs is merged into one run of the next level.
    """
    newer = [r for r in runs if not r.main]
    main_rows = sum(r.rows for r in runs if r.main)
    newer_rows = sum(r.rows for r in newer)
    if newer and newer_rows >= max(layout.merge_min, layout.merge_fraction * main_rows):
        return Merge(tuple(runs), into_main=True)
    by_level: dict[int, list[Run]] = {}
    for run in newer:
        by_level.setdefault(level(run, layout), []).append(run)
    for _, group in sorted(by_level.items()):
        if len(group) >= layout.fan_in:
            return Merge(tuple(group), into_main=False)
    return None


def prunes(merge: Merge, documents: int, layout: IndexLayout) -> bool:
    """Whether a merge counts common fingerprints: into the main run, in a large enough archive."""
    return merge.into_main and documents >= layout.prune_from


def rewrites_after_pruning(run: Run, pruned_rows: int) -> bool:
    """Whether a new main run is written again without the postings its pruning found common."""
    return pruned_rows > run.rows // PRUNED_SHARE_TO_REWRITE


def after(runs: Sequence[Run], dropped: Sequence[Run], new: Run) -> list[Run]:
    """The runs once ``dropped`` are replaced by ``new``, in id order."""
    gone = {r.id for r in dropped}
    return [r for r in runs if r.id not in gone] + [new]

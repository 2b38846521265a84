"""The eval gate: about 300 benchmark queries against pinned floors, on every CI run.

The full benchmark (``python -m bench.run``) takes an hour and nobody runs it
on every change. This gate runs the same kinds of query on a small archive
(the benchmark's own generators: ``bench/corpus.py`` for the archive and
retellings, unspin's test-data generator for the copies, ``bench/kinds.py``
for the newer kinds) and fails when recall or verdict accuracy falls below
what the code scored when the floors were pinned. Everything is generated
from fixed seeds, so the scores are the same on every run: a drop is a
change in unspin, never noise.

When a change improves the scores, raise the floors to the new numbers
(the failure message prints them); lower one only with a reason in the
commit message.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pytest
from bench.corpus import generate_corpus, generate_unrelated, make_event
from bench.kinds import LANGUAGE_KINDS, NEGATIVE_KINDS, build_new_kinds
from bench.run import OLD_KINDS, SEED, SystemRun, Tally, build_queries, run_unspin

EVENTS = 500
PER_CELL = 8
NEW_PER_CELL = 2
NEGATIVES = 30


@dataclass(frozen=True, slots=True)
class Floor:
    """The least score a group of query kinds must reach."""

    name: str
    kinds: tuple[str, ...]
    recall: float | None
    """Least share of copies whose best copy match is a true source (None: negatives)."""
    accuracy: float
    """Least share of queries given the expected verdict."""


COPY_KINDS = tuple(k for k in OLD_KINDS if k not in ("independent", "unrelated"))
# Pinned 2026-12-05 at the scores measured then: every group 1.000, no false match.
FLOORS = (
    Floor("first benchmark's copy kinds", COPY_KINDS, recall=1.0, accuracy=1.0),
    Floor("negatives (unrelated, independent)", ("independent", "unrelated"), None, 1.0),
    Floor("newer kinds", ("newer",), recall=1.0, accuracy=1.0),
)
MAX_FALSE_MATCH = 0.0
"""Share of negatives (no kind copies anything) given a copy verdict, at most."""


@pytest.fixture(scope="module")
def gate_run(tmp_path_factory: pytest.TempPathFactory) -> SystemRun:
    events = generate_corpus(EVENTS, SEED, retellings_per_event=(0, 2))
    archive = [d for e in events for d in (e.original, *e.retellings)]
    held_out = [make_event(i, SEED + 1, 1, namespace="ho") for i in range(NEGATIVES)]
    archive += [e.original for e in held_out]
    unrelated = generate_unrelated(NEGATIVES, SEED + 2)
    queries = build_queries(events, held_out, unrelated, PER_CELL, SEED + 3)
    newer = build_new_kinds(
        [e.original for e in events],
        events=EVENTS,
        per_cell=NEW_PER_CELL,
        negatives=NEGATIVES // 3,
        seed=SEED + 7,
    )
    archive += newer.archive
    # Each language brings 30 queries whatever the cell size: every sixth is enough here.
    languages = [q for q in newer.queries if q.kind in LANGUAGE_KINDS]
    queries += [q for q in newer.queries if q.kind not in LANGUAGE_KINDS] + languages[::6]
    assert 250 <= len(queries) <= 350, len(queries)
    return run_unspin(archive, queries, tmp_path_factory.mktemp("gate"))


def cells(run: SystemRun, kinds: Iterable[str]) -> list[Tally]:
    wanted = set(kinds)
    if "newer" in wanted:
        return [t for (k, _), t in run.tallies.items() if k not in OLD_KINDS]
    return [t for (k, _), t in run.tallies.items() if k in wanted]


def scores(tallies: list[Tally]) -> tuple[float, float]:
    """Recall@1 over the queries that copy something, and verdict accuracy over all."""
    copies = [t for t in tallies if t.sources_expected]
    recall = sum(t.hit_at_1 for t in copies) / max(sum(t.total for t in copies), 1)
    accuracy = sum(t.verdict_right for t in tallies) / max(sum(t.total for t in tallies), 1)
    return recall, accuracy


@pytest.mark.slow
@pytest.mark.parametrize("floor", FLOORS, ids=lambda f: f.name)
def test_scores_stay_above_their_floors(gate_run: SystemRun, floor: Floor) -> None:
    recall, accuracy = scores(cells(gate_run, floor.kinds))
    measured = f"{floor.name}: recall@1 {recall:.4f}, verdict accuracy {accuracy:.4f}"
    if floor.recall is not None:
        assert recall >= floor.recall, measured
    assert accuracy >= floor.accuracy, measured


@pytest.mark.slow
def test_negatives_are_not_called_copies(gate_run: SystemRun) -> None:
    negatives = [t for (k, _), t in gate_run.tallies.items() if k in NEGATIVE_KINDS]
    false = sum(t.false_match for t in negatives) / sum(t.total for t in negatives)
    assert false <= MAX_FALSE_MATCH, f"false-match rate {false:.4f}"


def test_floors_name_kinds_the_benchmark_has() -> None:
    known = {*OLD_KINDS, *NEGATIVE_KINDS, "newer"}
    assert all(set(floor.kinds) <= known for floor in FLOORS)

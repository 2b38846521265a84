"""The index's tunables, in one place: how postings runs grow and merge, and what is too common.

Tests build small layouts to push a few hundred documents through many
merges; the defaults suit archives of millions. An index stores the layout
it was built with in its ``meta`` table and keeps it when opened again.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

COMMON_DF = 256
"""Fingerprints in more documents than this keep no postings: the index reports them
as too common for any ``max_df`` (a check's ``CheckSettings.max_df`` must not exceed it)."""


ADD_BATCH = 1000
"""Documents per transaction when adding. Each transaction leaves the writer some
fixed work (a new postings run, a full-text segment): at a thousand documents
a transaction the writer spends 7-15% less time per document than at five
hundred, and indexing runs 4-12% faster (2 cores, 40,000 and 10,000 documents;
two thousand gained nothing more)."""

MERGE_AFTER_SHARE = 8
"""An add that grows the index by at least 1/8 merges the full-text segments at its end:
the merge rewrites the whole full-text index (0.8 s for 42,000 documents), so smaller adds,
whose cost it would dwarf, leave the segments to FTS5's own merging."""


@dataclass(frozen=True, slots=True)
class IndexLayout:
    """When postings runs are started, merged and pruned (see :mod:`unspin.index`)."""

    run_base: int = 65_536
    """A batch goes into the newest run while that run holds fewer postings than this
    (a few dozen pages), else into a new run. Also the unit of run levels."""
    fan_in: int = 4
    """Runs merged at once: that many runs of one level (sizes within a factor of
    this, from ``run_base`` up) become one run of the next level."""
    merge_min: int = 2_000_000
    merge_fraction: float = 0.5
    """The newer runs are merged into the main run once they hold this share of its
    postings (and at least ``merge_min``), so merging the main run costs a constant
    number of passes over each posting in all."""
    prune_from: int = COMMON_DF
    """Documents before the first pruning: fewer cannot hold a fingerprint in more than
    ``common_df`` of them. From there on every merge into the main run prunes, as
    a fingerprint too common to keep costs each check that holds it a read of
    ``max_df`` postings for nothing (a fifth of the postings reads of a check on
    the benchmark's archive of 42,000 documents)."""
    common_df: int = COMMON_DF

    def to_json(self) -> str:
        """The layout as stored in the index's ``meta`` table."""
        return json.dumps(dataclasses.asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, stored: str) -> IndexLayout:
        """The layout :meth:`to_json` stored; ValueError when it is not one."""
        try:
            return cls(**json.loads(stored))
        except (TypeError, json.JSONDecodeError) as error:
            raise ValueError(f"not an index layout ({error})") from None

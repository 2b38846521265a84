"""Retrieval: which archive documents could a suspect text have come from?

Every fingerprint the suspect shares with a document is a vote for it,
weighted by rarity (inverse document frequency), so a shared "_ of the _ in"
counts for little and a shared "@jnssn said #42 _ in" for a lot.

A copy stitched from several sources must name each of them, and a single
best-scoring source would hide the others. So candidates are picked
greedily: after the best document is taken, the parts of the suspect it
explains stop counting, and the next pick must explain something new. A few
runners-up by plain score are kept too, because the aligner, not retrieval,
has the last word.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from unspin.fingerprint import Fingerprints
from unspin.index import ArchiveIndex

MAX_DF = 2000
"""Fingerprints in more documents than this are too common to be evidence."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """An archive document that shares fingerprints with the suspect."""

    rowid: int
    score: float
    """Sum of the rarity weights of shared fingerprints."""
    shared: int
    """How many distinct fingerprints are shared."""


def find_candidates(
    index: ArchiveIndex,
    fingerprints: Fingerprints,
    *,
    limit: int = 6,
    min_shared: int = 2,
) -> list[Candidate]:
    """The documents most likely to be sources of the fingerprinted text, best first."""
    unique = list(dict.fromkeys(fingerprints.hashes.tolist()))
    if not unique:
        return []
    total_docs = max(len(index), 1)
    postings = index.postings(unique, max_df=MAX_DF)

    positions: dict[int, list[int]] = defaultdict(list)
    for position, value in enumerate(fingerprints.hashes.tolist()):
        positions[value].append(position)

    # Each document's evidence: weight per suspect position it explains.
    weight_of: dict[int, float] = {}
    by_doc: dict[int, list[int]] = defaultdict(list)
    for value, docs in postings.items():
        if not docs:
            continue
        weight_of[value] = math.log(1.0 + total_docs / len(docs))
        for doc in docs:
            by_doc[doc].append(value)

    scored: list[Candidate] = []
    for doc, values in by_doc.items():
        if len(values) >= min_shared:
            scored.append(Candidate(doc, sum(weight_of[v] for v in values), len(values)))
    scored.sort(key=lambda c: (-c.score, c.rowid))
    if not scored:
        return []

    picked = _greedy_cover(
        scored[: limit * 4], by_doc, weight_of, positions, len(fingerprints.hashes)
    )
    result = list(picked)
    for candidate in scored:
        if len(result) >= limit:
            break
        if candidate not in result:
            result.append(candidate)
    return result


def _greedy_cover(
    scored: Sequence[Candidate],
    by_doc: dict[int, list[int]],
    weight_of: dict[int, float],
    positions: dict[int, list[int]],
    length: int,
    max_sources: int = 4,
) -> list[Candidate]:
    """Pick documents one by one, each for the suspect positions it newly explains."""
    covered = np.zeros(max(length, 1), dtype=bool)
    picked: list[Candidate] = []
    best_score = scored[0].score
    for _ in range(max_sources):
        best: tuple[float, Candidate] | None = None
        for candidate in scored:
            if candidate in picked:
                continue
            gain = sum(
                weight_of[v]
                for v in by_doc[candidate.rowid]
                if not all(covered[p] for p in positions[v])
            )
            if best is None or gain > best[0]:
                best = (gain, candidate)
        # A new source must explain a real share of the suspect on its own.
        if best is None or best[0] < 0.15 * best_score:
            break
        picked.append(best[1])
        for value in by_doc[best[1].rowid]:
            covered[positions[value]] = True
    return picked

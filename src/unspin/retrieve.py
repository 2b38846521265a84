"""Retrieval: which archive documents could a suspect text have come from?

Every fingerprint the suspect shares with a document is a vote for it,
weighted by rarity (inverse document frequency), so a shared "_ of the _ in"
counts for little and a shared "@jnssn said #42 _ in" for a lot.

Retrieval finds edition groups, not documents: a story reprinted word for
word by many sites is one group (see :mod:`unspin.index`), so rarity counts
stories, and the most reprinted story is as findable as any other.

A copy stitched from several sources must name each of them, and a single
best-scoring source would hide the others. So candidates are picked
greedily: after the best document is taken, the parts of the suspect it
explains stop counting, and the next pick must explain something new. A few
runners-up by plain score are kept too, because the aligner, not retrieval,
has the last word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from unspin.fingerprint import Fingerprints
from unspin.index import ArchiveIndex

COPY_MIN_SHARED = 6
"""Fingerprints a source of a copied passage shares with the copy, at least: on
the benchmark every true source, even of a stitched copy at 50% swaps, shared
12 or more, while half of the other candidates shared fewer than 6."""
WEAK_CANDIDATES = 2
"""Candidates below :data:`COPY_MIN_SHARED` kept, at most (for the independent verdict)."""
MAX_DF = 256
"""Fingerprints in more stories than this are too common to be evidence."""
MAX_SOURCES = 20
"""Sources a stitched copy can be traced to, at most."""
FEW_SOURCES = 4
"""Sources picked on their share of the suspect alone (see :class:`_Cover`)."""
PASSAGE_SPAN = 30
"""Fingerprints within this many suspect fingerprints of each other lie in one passage
(a two-sentence passage of 40 words holds about 12)."""
PASSAGE_FINGERPRINTS = 3
PASSAGE_DF = 10
"""A passage's evidence must weigh as much as this many fingerprints each found in
:data:`PASSAGE_DF` stories."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """An archive story (edition group) that shares fingerprints with the suspect."""

    edition: int
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
    """The documents most likely to be sources of the fingerprinted text, best first.

    ``min_shared`` is the least number of fingerprints a candidate shares.
    Two finds same-story retellings too (for the ``independent`` verdict);
    :data:`COPY_MIN_SHARED` is enough when only copies matter, and saves most
    of the alignment work on texts that copy nothing.
    """
    hashes = fingerprints.hashes.tolist()
    unique = list(dict.fromkeys(hashes))
    if not unique:
        return []
    # Short suspects get a proportionally lower bar.
    min_shared = min(min_shared, max(2, len(unique) // 10))
    postings = index.postings(unique, max_df=MAX_DF)
    evidence = [(value, docs) for value, docs in postings.items() if docs]
    if not evidence:
        return []
    total_docs = max(index.editions(), 1)

    # One row per (fingerprint, document) hit; numpy sums the votes per document.
    hit_docs = np.fromiter((d for _, docs in evidence for d in docs), dtype=np.int64)
    hit_fp = np.repeat(np.arange(len(evidence)), [len(docs) for _, docs in evidence])
    fp_weight = np.log1p(total_docs / np.array([len(docs) for _, docs in evidence], dtype=float))
    docs, hit_doc_index = np.unique(hit_docs, return_inverse=True)
    scores = np.bincount(hit_doc_index, weights=fp_weight[hit_fp])
    shared = np.bincount(hit_doc_index)
    eligible = np.flatnonzero(shared >= min_shared)
    if eligible.size == 0:
        return []
    # Same-story retellings of each source rank high too: the pool leaves room for them.
    top = eligible[np.argsort(-scores[eligible], kind="stable")[: 4 * max(limit, MAX_SOURCES)]]
    scored = [Candidate(int(docs[i]), float(scores[i]), int(shared[i])) for i in top]

    # The fingerprints each top document explains, and where each first
    # stands in the suspect, for the greedy cover.
    first_position: dict[int, int] = {}
    for position, value in enumerate(hashes):
        first_position.setdefault(value, position)
    fp_position = np.array([first_position[value] for value, _ in evidence], dtype=np.int64)
    by_doc = np.argsort(hit_doc_index, kind="stable")
    bounds = np.searchsorted(hit_doc_index[by_doc], [top, top + 1])
    explained = [hit_fp[by_doc[a:b]] for a, b in zip(*bounds, strict=True)]

    cover = _Cover(fp_weight, fp_position, float(np.log1p(total_docs / PASSAGE_DF)))
    picked = cover.pick(scored, explained)
    result = list(picked)
    for candidate in scored:
        if len(result) >= limit:
            break
        if candidate not in result:
            result.append(candidate)
    # Candidates too weak to hold a copied passage can only turn out
    # same-story retellings, and the best of those is nearly always among the
    # first two: aligning more of them costs time on every text that copies
    # nothing (most pages of a crawl).
    # Picks beyond the first few were made on a passage's worth of evidence.
    weak = [c for c in result if c.shared < COPY_MIN_SHARED and c not in picked[FEW_SOURCES:]]
    return [c for c in result if c not in weak or c in weak[:WEAK_CANDIDATES]]


class _Cover:
    """Greedy set cover of the suspect's fingerprints by candidate sources.

    Sources are picked one by one, each for the fingerprints it newly
    explains. The first :data:`FEW_SOURCES` picks need only explain a real
    share of the suspect. A copy stitched from many sources takes a short
    passage from most of them, which holds only a few fingerprints: later
    picks must explain new fingerprints that lie close together, as a copied
    passage's do, and that weigh as much as a few rare ones: stock phrasing
    and scattered hits name nobody.
    """

    def __init__(
        self,
        weights: npt.NDArray[np.float64],
        positions: npt.NDArray[np.int64],
        rare: float,
    ) -> None:
        self.weights = weights
        self.positions = positions
        self.rare = rare

    def pick(
        self, scored: Sequence[Candidate], explained: Sequence[npt.NDArray[np.int64]]
    ) -> list[Candidate]:
        covered = np.zeros(self.weights.size, dtype=bool)
        picked: list[int] = []
        for _ in range(MAX_SOURCES):
            few = len(picked) < FEW_SOURCES
            best: tuple[float, int] | None = None
            for k, fingerprints in enumerate(explained):
                if k in picked:
                    continue
                fresh = fingerprints[~covered[fingerprints]]
                gain = float(self.weights[fresh].sum())
                if (best is None or gain > best[0]) and (few or self._clustered(fresh)):
                    best = (gain, k)
            if best is None or (few and best[0] < 0.15 * scored[0].score):
                break
            picked.append(best[1])
            covered[explained[best[1]]] = True
        return [scored[k] for k in picked]

    def _clustered(self, fresh: npt.NDArray[np.int64]) -> bool:
        """Whether fingerprints within a passage's span weigh as much as a few rare ones."""
        order = np.argsort(self.positions[fresh], kind="stable")
        positions, weights = self.positions[fresh][order], self.weights[fresh][order]
        total = np.concatenate(([0.0], np.cumsum(weights)))
        ends = np.searchsorted(positions, positions + PASSAGE_SPAN, side="right")
        window = total[ends] - total[: positions.size]
        return bool((window >= PASSAGE_FINGERPRINTS * self.rare).any())

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

Rewriting defeats fingerprints: a language model restructures every sentence
and leaves few five-word grams standing. It keeps the story's names, numbers
and rare words, though, so a second, lexical channel looks up the suspect's
rarest words in the index's full-text table, and :func:`fuse` merges both
rankings by reciprocal rank. It is asked only when much of the suspect is new
to the archive (:attr:`FingerprintRetrieval.novel`): what the archive holds
word for word or swapped, the fingerprints already reach.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np
import numpy.typing as npt

from unspin.fingerprint import Fingerprints, Holders
from unspin.settings import CheckSettings


class PostingsSource(Protocol):
    """What fingerprint retrieval needs from an archive index (see :mod:`unspin.index`)."""

    def postings(self, hashes: Iterable[int], *, max_df: int) -> Holders:
        """Edition groups holding each fingerprint, for fingerprints in at most ``max_df``
        of them; commoner ones come back as too common, and ones no story holds not at all."""
        ...

    def editions(self) -> int:
        """How many edition groups (distinct stories) the index holds."""
        ...


@dataclass(frozen=True, slots=True)
class Candidate:
    """An archive story (edition group) that shares fingerprints with the suspect."""

    edition: int
    score: float
    """Sum of the rarity weights of shared fingerprints."""
    shared: int
    """How many distinct fingerprints are shared."""
    terms: int = 0
    """How many of the suspect's rarest words the story holds (the lexical channel)."""


@dataclass(frozen=True, slots=True)
class FingerprintRetrieval:
    """What the fingerprint channel found."""

    candidates: list[Candidate]
    """Best first."""
    novel: float
    """Share of the suspect's telling fingerprints (those not too common to count) that no
    archived story holds: near 0 for a copy of archived text, most for a text the archive
    has not seen, or has seen only in other words."""


def retrieve_by_fingerprints(
    index: PostingsSource,
    fingerprints: Fingerprints,
    *,
    settings: CheckSettings,
    limit: int = 6,
    copies_only: bool = False,
) -> FingerprintRetrieval:
    """The documents most likely to be sources of the fingerprinted text, best first.

    Candidates share at least ``settings.retelling_min_shared`` fingerprints,
    which finds same-story retellings too (for the ``independent`` verdict).
    ``copies_only`` asks for ``settings.copy_min_shared``: enough when only
    copies matter, and it saves most of the alignment work on texts that copy
    nothing.
    """
    hashes = fingerprints.hashes.tolist()
    unique = list(dict.fromkeys(hashes))
    if not unique:
        return FingerprintRetrieval([], 0.0)
    min_shared = settings.copy_min_shared if copies_only else settings.retelling_min_shared
    # Short suspects get a proportionally lower bar, down to the retellings' one.
    min_shared = min(min_shared, max(settings.retelling_min_shared, len(unique) // 10))
    holders = index.postings(unique, max_df=settings.max_df)
    evidence = holders.hashes.tolist()
    novel = 1 - len(evidence) / max(len(unique) - holders.too_common.size, 1)
    if not evidence:
        return FingerprintRetrieval([], novel)
    total_docs = max(index.editions(), 1)

    # One row per (fingerprint, document) hit; numpy sums the votes per document.
    hit_fp = np.repeat(np.arange(len(evidence)), holders.counts)
    fp_weight = np.log1p(total_docs / holders.counts)
    docs, hit_doc_index = np.unique(holders.groups, return_inverse=True)
    scores = np.bincount(hit_doc_index, weights=fp_weight[hit_fp])
    shared = np.bincount(hit_doc_index)
    eligible = np.flatnonzero(shared >= min_shared)
    if eligible.size == 0:
        return FingerprintRetrieval([], novel)
    # Same-story retellings of each source rank high too: the pool leaves room for them.
    top = eligible[
        np.argsort(-scores[eligible], kind="stable")[: 4 * max(limit, settings.max_sources)]
    ]
    scored = [Candidate(int(docs[i]), float(scores[i]), int(shared[i])) for i in top]

    # The fingerprints each top document explains, and where each first
    # stands in the suspect, for the greedy cover.
    first_position: dict[int, int] = {}
    for position, value in enumerate(hashes):
        first_position.setdefault(value, position)
    fp_position = np.array([first_position[value] for value in evidence], dtype=np.int64)
    by_doc = np.argsort(hit_doc_index, kind="stable")
    bounds = np.searchsorted(hit_doc_index[by_doc], [top, top + 1])
    explained = [hit_fp[by_doc[a:b]] for a, b in zip(*bounds, strict=True)]

    cover = _Cover(fp_weight, fp_position, total_docs, settings)
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
    weak = [
        c
        for c in result
        if c.shared < settings.copy_min_shared and c not in picked[settings.few_sources :]
    ]
    kept = [c for c in result if c not in weak or c in weak[: settings.weak_candidates]]
    return FingerprintRetrieval(kept, novel)


def fuse(
    fingerprinted: Sequence[Candidate],
    lexical: Sequence[tuple[int, float, int]],
    *,
    settings: CheckSettings,
) -> list[Candidate]:
    """Both channels' candidates in one list, best first by reciprocal rank fusion.

    ``lexical`` holds ``(edition, weight, words)`` by the rare-word channel,
    best first. Every fingerprint candidate stays (their picking already
    weighed stitched copies and retellings); the lexical channel adds its
    best :attr:`~CheckSettings.lexical_candidates` that share enough rare words.
    A story ranked well by both channels comes first: a rank counts
    ``1 / (k + rank)``, so neither channel's scores need to be comparable.
    """
    k = settings.fusion_k
    fused: dict[int, float] = {}
    for rank, candidate in enumerate(fingerprinted, start=1):
        fused[candidate.edition] = 1 / (k + rank)
    words = {edition: count for edition, _, count in lexical}
    added: list[Candidate] = []
    for rank, (edition, _, count) in enumerate(lexical, start=1):
        if edition in fused:
            fused[edition] += 1 / (k + rank)
        elif len(added) < settings.lexical_candidates and count >= settings.lexical_min_terms:
            fused[edition] = 1 / (k + rank)
            added.append(Candidate(edition, 0.0, 0, count))
    merged = [replace(c, terms=words.get(c.edition, 0)) for c in fingerprinted] + added
    return sorted(merged, key=lambda c: -fused[c.edition])


class _Cover:
    """Greedy set cover of the suspect's fingerprints by candidate sources.

    Sources are picked one by one, each for the fingerprints it newly
    explains. The first few picks (``settings.few_sources``) need only explain a real
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
        total_docs: int,
        settings: CheckSettings,
    ) -> None:
        self.weights = weights
        self.positions = positions
        self.settings = settings
        rare = float(np.log1p(total_docs / settings.passage_df))
        self.passage = settings.passage_fingerprints * rare
        """What a passage's fingerprints weigh at least when they tell where it came from: as
        much as :attr:`~CheckSettings.passage_fingerprints` found in ``passage_df`` stories."""

    def pick(
        self, scored: Sequence[Candidate], explained: Sequence[npt.NDArray[np.int64]]
    ) -> list[Candidate]:
        # Lazy greedy: a candidate's gain only shrinks as picks cover more, so a gain
        # computed earlier bounds it, and a candidate whose gain, recomputed, still tops
        # every bound is the best (ties go to the better-scored candidate, as in a scan).
        # A candidate whose fresh fingerprints stop clustering never clusters again.
        covered = np.zeros(self.weights.size, dtype=bool)
        bounds = [(-float(self.weights[e].sum()), k) for k, e in enumerate(explained)]
        heapq.heapify(bounds)
        picked: list[int] = []
        while bounds and len(picked) < self.settings.max_sources:
            few = len(picked) < self.settings.few_sources
            if not few and -bounds[0][0] < self.passage:
                break  # no candidate left weighs a passage's worth, clustered or not
            _, k = heapq.heappop(bounds)
            fresh = explained[k][~covered[explained[k]]]
            gain = float(self.weights[fresh].sum())
            if bounds and (-gain, k) > bounds[0]:
                heapq.heappush(bounds, (-gain, k))  # another may gain more now: look again
                continue
            if not few and not self._clustered(fresh):
                continue  # dropped for good
            if few and gain < self.settings.first_pick_share * scored[0].score:
                break
            picked.append(k)
            covered[explained[k]] = True
        return [scored[k] for k in picked]

    def _clustered(self, fresh: npt.NDArray[np.int64]) -> bool:
        """Whether fingerprints within a passage's span weigh as much as a few rare ones."""
        order = np.argsort(self.positions[fresh], kind="stable")
        positions, weights = self.positions[fresh][order], self.weights[fresh][order]
        total = np.concatenate(([0.0], np.cumsum(weights)))
        span = self.settings.passage_span
        ends = np.searchsorted(positions, positions + span, side="right")
        window = total[ends] - total[: positions.size]
        return bool((window >= self.passage).any())

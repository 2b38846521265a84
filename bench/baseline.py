"""The comparison baseline: datasketch MinHash LSH over word 5-gram shingles.

This is the standard near-duplicate detector (Broder's resemblance, banded
LSH): shingle each text into lowercased word 5-grams, MinHash the shingle
set, and ask the LSH index for documents whose estimated Jaccard likely
exceeds a threshold. Candidates are ranked by estimated Jaccard.

Shingles are hashed with xxh32 rather than datasketch's default SHA-1: same
accuracy, about three times faster to index, so the comparison with unspin
is not skewed by a slow hash.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import xxhash
from datasketch import LeanMinHash, MinHash, MinHashLSH

_WORD = re.compile(r"\w+")
_BATCH = 1024


def shingles(text: str, size: int = 5) -> list[bytes]:
    """Lowercased word ``size``-grams of ``text``, UTF-8 encoded (the whole text if shorter)."""
    words = _WORD.findall(text.lower())
    if len(words) <= size:
        return [" ".join(words).encode()] if words else []
    return [" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)]


class MinHashBaseline:
    """A MinHash LSH index of documents, queried with a text.

    >>> index = MinHashBaseline()
    >>> index.add("a", "the quick brown fox jumps over the lazy dog again and again")
    >>> index.query("the quick brown fox jumps over the lazy dog again and again")[0]
    ('a', 1.0)
    """

    def __init__(
        self, num_perm: int = 128, threshold: float = 0.5, shingle: int = 5, seed: int = 1
    ) -> None:
        self.num_perm = num_perm
        self.threshold = threshold
        self.shingle = shingle
        self.seed = seed
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._signatures: dict[str, LeanMinHash] = {}
        # ``add`` buffers: MinHash.bulk over a batch is several times faster
        # than hashing one document at a time.
        self._pending: list[tuple[str, str]] = []

    def __len__(self) -> int:
        self.flush()
        return len(self._signatures)

    def signatures(self, texts: Sequence[str]) -> list[LeanMinHash]:
        """MinHash signatures of many texts at once (vectorised by datasketch)."""
        sets = [shingles(text, self.shingle) for text in texts]
        hashes = MinHash.bulk(
            sets, num_perm=self.num_perm, seed=self.seed, hashfunc=xxhash.xxh32_intdigest
        )
        return [LeanMinHash(h) for h in hashes]

    def add(self, doc_id: str, text: str) -> None:
        """Index one document (hashed with the next batch, before any query)."""
        self._pending.append((doc_id, text))
        if len(self._pending) >= _BATCH:
            self.flush()

    def add_many(self, documents: Iterable[tuple[str, str]]) -> None:
        """Index many (id, text) pairs."""
        for doc_id, text in documents:
            self.add(doc_id, text)
        self.flush()

    def flush(self) -> None:
        """Hash and index the documents ``add`` has buffered (queries do this too)."""
        if not self._pending:
            return
        batch, self._pending = self._pending, []
        signatures = self.signatures([text for _, text in batch])
        with self._lsh.insertion_session() as session:
            for (doc_id, _), signature in zip(batch, signatures, strict=True):
                session.insert(doc_id, signature)
                self._signatures[doc_id] = signature

    def query(self, text: str) -> list[tuple[str, float]]:
        """Indexed documents the LSH proposes for ``text``, best estimated Jaccard first."""
        return self.query_signature(self.signatures([text])[0])

    def query_signature(self, signature: LeanMinHash) -> list[tuple[str, float]]:
        """Like ``query`` for a precomputed signature (see ``signatures``)."""
        self.flush()
        found = [
            (doc_id, float(signature.jaccard(self._signatures[doc_id])))
            for doc_id in self._lsh.query(signature)
        ]
        found.sort(key=lambda pair: (-pair[1], pair[0]))
        return found

    def with_threshold(self, threshold: float) -> MinHashBaseline:
        """The same index banded for another threshold, reusing every signature."""
        self.flush()
        other = MinHashBaseline(self.num_perm, threshold, self.shingle, self.seed)
        with other._lsh.insertion_session() as session:
            for doc_id, signature in self._signatures.items():
                session.insert(doc_id, signature)
        other._signatures = dict(self._signatures)
        return other


@dataclass(frozen=True, slots=True)
class SweepPoint:
    """Top-1 source attribution quality of the baseline at one LSH threshold."""

    threshold: float
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


DEFAULT_THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def sweep_thresholds(
    baseline: MinHashBaseline,
    queries: Sequence[tuple[str, str | None]],
    thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
) -> list[SweepPoint]:
    """Score top-1 attribution at each LSH threshold.

    ``queries`` are (text, expected source id) pairs, the id ``None`` where
    the text copies nothing indexed (an unrelated text, an independent
    retelling). A top candidate equal to the expected id is a true positive;
    any other top candidate a false positive (and, if a source was expected,
    also a false negative); no candidate where a source was expected a false
    negative.
    """
    signatures = baseline.signatures([text for text, _ in queries])
    points = []
    for threshold in thresholds:
        index = baseline if threshold == baseline.threshold else baseline.with_threshold(threshold)
        tp = fp = fn = 0
        for (_, expected), signature in zip(queries, signatures, strict=True):
            found = index.query_signature(signature)
            top = found[0][0] if found else None
            if top is not None and top == expected:
                tp += 1
                continue
            if top is not None:
                fp += 1
            if expected is not None:
                fn += 1
        points.append(SweepPoint(threshold, tp, fp, fn))
    return points


def best_threshold(points: Sequence[SweepPoint]) -> SweepPoint:
    """The sweep point with the best F1 (the higher threshold on a tie)."""
    return max(points, key=lambda p: (p.f1, p.threshold))


class EmbeddingBaseline:
    """Nearest neighbour on document embeddings: what meaning alone finds, without alignment.

    A document's vector is the mean of its sentence vectors (unspin's static
    MiniLM distillation, :mod:`unspin.embed`), and a query names its nearest
    archive document when their cosine reaches ``threshold``.
    """

    def __init__(self, threshold: float = 0.9) -> None:
        self.threshold = threshold
        self._ids: list[str] = []
        self._rows: list[npt.NDArray[np.float32]] = []
        self._matrix: npt.NDArray[np.float32] | None = None

    def vector(self, text: str) -> npt.NDArray[np.float32]:
        from unspin.align import Text
        from unspin.embed import get_embedder
        from unspin.meaning import sentence_vectors

        vectors = sentence_vectors(Text.of(text), get_embedder())
        mean = vectors.mean(axis=0) if len(vectors) else np.zeros(get_embedder().dimensions)
        norm = float(np.linalg.norm(mean)) or 1.0
        return (mean / norm).astype(np.float32)

    def add_many(self, documents: Iterable[tuple[str, str]]) -> None:
        for doc_id, text in documents:
            self._ids.append(doc_id)
            self._rows.append(self.vector(text))
        self._matrix = np.vstack(self._rows) if self._rows else None

    def nearest(self, text: str) -> tuple[str, float] | None:
        if self._matrix is None:
            return None
        scores = self._matrix @ self.vector(text)
        best = int(scores.argmax())
        return self._ids[best], float(scores[best])

    def query(self, text: str) -> list[tuple[str, float]]:
        found = self.nearest(text)
        return [found] if found is not None and found[1] >= self.threshold else []

    def tune(self, queries: Sequence[tuple[str, str | None]]) -> float:
        """The threshold with the best top-1 F1 on ``queries`` (text, expected id or None)."""
        nearest = [(self.nearest(text), expected) for text, expected in queries]
        points = []
        for threshold in np.arange(0.80, 1.0, 0.005):
            tp = fp = fn = 0
            for found, expected in nearest:
                top = found[0] if found is not None and found[1] >= threshold else None
                if top is not None and top == expected:
                    tp += 1
                    continue
                fp += top is not None
                fn += expected is not None
            points.append(SweepPoint(float(threshold), tp, fp, fn))
        self.threshold = best_threshold(points).threshold
        return self.threshold

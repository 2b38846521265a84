"""Fingerprinting batches of documents ahead of the writer, in a pool of processes."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator

import numpy as np
import numpy.typing as npt

from unspin import language
from unspin.fingerprint import edition_key, fingerprint
from unspin.model import Document
from unspin.normalize import tokenize
from unspin.parallel import bounded_map

LOW32 = np.int64(0xFFFFFFFF)
_HIGH32 = np.int64(~0xFFFFFFFF)

Prepared = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]
"""A batch's postings keys (``stored key << 32 | position in the batch``, sorted and
distinct) and each text's :func:`edition_key`: two arrays, cheap to send between processes."""


def prepare(texts: list[str]) -> Prepared:
    """Fingerprint a batch; the slow, parallel part of indexing."""
    parts: list[npt.NDArray[np.int64]] = []
    bodies = np.zeros(len(texts), dtype=np.int64)
    for position, text in enumerate(texts):
        tokens = tokenize(text)
        parts.append((fingerprint(text, tokens).hashes & _HIGH32) | np.int64(position))
        bodies[position] = edition_key(text, tokens)
    if not parts:
        return np.zeros(0, dtype=np.int64), bodies
    return np.unique(np.concatenate(parts)), bodies


def prepare_all(
    documents: Iterable[Document], batch_size: int, workers: int
) -> Iterator[tuple[list[Document], Prepared]]:
    """Batches with their postings keys, in input order, computed ahead by a process pool."""
    if workers > 1:
        language.preload()
    # Workers get only the texts; tee holds the few batches in flight until their keys are back.
    batches, in_flight = itertools.tee(batched(documents, batch_size))
    texts = ([d.text for d in batch] for batch in in_flight)
    return zip(batches, bounded_map(prepare, texts, workers=workers), strict=True)


def batched(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    """Documents in lists of ``size`` (the last may be shorter)."""
    batch: list[Document] = []
    for doc in documents:
        batch.append(doc)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch

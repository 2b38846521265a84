"""GloVe 6B 50d word vectors, memory-mapped so that opening costs nothing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


def read_vocabulary(index_path: Path) -> list[str]:
    """The GloVe vocabulary in row order (the parquet's single ``index`` column)."""
    import pyarrow.parquet as pq  # slow import, only needed while building the cache

    words: list[str] = pq.read_table(index_path, columns=["index"]).column(0).to_pylist()
    return words


def open_vectors(vectors_path: Path) -> Vectors:
    """Memory-map the (400000, 50) float32 matrix read-only.

    As a plain array over the mapped memory: ``np.memmap`` wraps every row it hands
    out in a memmap of its own, which costs more than the product that uses the row.
    """
    matrix: Vectors = np.asarray(np.load(vectors_path, mmap_mode="r"))
    return matrix


def unit_rows(matrix: Vectors) -> Vectors:
    """A normalised in-memory copy, for bulk cosine computations while building."""
    dense = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(dense, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    normalised: Vectors = dense / norms
    return normalised

"""Sentence embeddings: what a sentence means, as a short vector, fast and offline.

A rewritten copy keeps the meaning of its source's sentences and changes
their words, so alignment by meaning (:mod:`unspin.meaning`) compares
sentence vectors. They come from a *static* model: all-MiniLM-L6-v2
(Apache-2.0) distilled by ``model2vec`` into one vector per word piece of
MiniLM's vocabulary, reduced to 128 dimensions and stored as int8 with one
scale per row (``unspin/data/sentence-vectors.npz``, built once by
``scripts/distill_embeddings.py``). A sentence's vector is the mean of its
word pieces' vectors: thousands of sentences a second on one core, with no
torch and no download. The transformer itself is about a hundred times
slower (see the README's "Sentence embeddings" for the measurements).

Word pieces are found as BERT finds them: lower case, accents stripped,
punctuation split off, then the longest known piece first, continuations
marked ``##``. A word's pieces are worked out once and remembered.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

import numpy as np
import numpy.typing as npt

TABLE = "sentence-vectors.npz"
_MAX_WORD = 100
"""Longer 'words' (a URL, a hash) are one unknown piece, as in BERT."""
_WORDS_REMEMBERED = 200_000


_MARKS = re.compile(r"[\u0300-\u036f]+")
_BASIC_WORD = re.compile(r"[^\W_]+|[^\w\s]|_")
"""Runs of letters and digits, and every other visible character on its own."""


def _basic_words(text: str) -> list[str]:
    """BERT's basic tokenization: lower case, no accents, punctuation as words of its own."""
    folded = unicodedata.normalize("NFD", text.lower())
    if not folded.isascii():
        folded = _MARKS.sub("", folded)
    return _BASIC_WORD.findall(folded)


class SentenceEmbedder:
    """Unit-length sentence vectors from a static word-piece table."""

    def __init__(self, vectors: npt.NDArray[np.float32], pieces: Sequence[str]) -> None:
        self.vectors = vectors
        self.dimensions = int(vectors.shape[1])
        self._piece_ids = {piece: i for i, piece in enumerate(pieces)}
        self._unknown = self._piece_ids.get("[UNK]")
        self._word_pieces: dict[str, tuple[int, ...]] = {}

    @classmethod
    def packaged(cls) -> SentenceEmbedder:
        """The table shipped with unspin (``unspin/data/sentence-vectors.npz``)."""
        with resources.files("unspin.data").joinpath(TABLE).open("rb") as handle:
            table = np.load(handle)
            vectors = table["vectors"].astype(np.float32) * table["scale"][:, None]
            pieces = str(table["words"]).split("\n")
        return cls(vectors.astype(np.float32), pieces)

    def pieces(self, word: str) -> tuple[int, ...]:
        """The word pieces of one basic word, longest first (remembered)."""
        known = self._word_pieces.get(word)
        if known is not None:
            return known
        found: list[int] = []
        if len(word) <= _MAX_WORD:
            start = 0
            while start < len(word):
                end = len(word)
                piece = None
                while start < end:
                    candidate = word[start:end] if start == 0 else "##" + word[start:end]
                    piece = self._piece_ids.get(candidate)
                    if piece is not None:
                        break
                    end -= 1
                if piece is None:
                    found = []
                    break
                found.append(piece)
                start = end
        if not found and self._unknown is not None:
            found = [self._unknown]
        result = tuple(found)
        if len(self._word_pieces) < _WORDS_REMEMBERED:
            self._word_pieces[word] = result
        return result

    def embed(self, sentences: Sequence[str]) -> npt.NDArray[np.float32]:
        """One unit-length vector per sentence (zeros for a sentence with no known piece)."""
        ids: list[int] = []
        owners: list[int] = []
        for row, sentence in enumerate(sentences):
            for word in _basic_words(sentence):
                pieces = self.pieces(word)
                ids.extend(pieces)
                owners.extend([row] * len(pieces))
        out = np.zeros((len(sentences), self.dimensions), dtype=np.float32)
        if ids:
            rows = np.array(owners)
            filled, starts = np.unique(rows, return_index=True)  # rows come in order
            out[filled] = np.add.reduceat(self.vectors[np.array(ids)], starts, axis=0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        unit: npt.NDArray[np.float32] = (out / norms).astype(np.float32)
        return unit


@lru_cache(maxsize=1)
def get_embedder() -> SentenceEmbedder:
    """The packaged embedder, loaded once per process."""
    return SentenceEmbedder.packaged()

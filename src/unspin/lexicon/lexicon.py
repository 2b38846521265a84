"""Fast answers about English words, read from the prebuilt SQLite cache."""

from __future__ import annotations

import math
import sqlite3
import threading
from functools import lru_cache
from pathlib import Path
from typing import Literal

import lemminflect

from unspin.lexicon import glove
from unspin.lexicon.build import (
    ANTONYM,
    DERIVED,
    POS_BITS,
    SYNONYM_BITS,
    build_cache,
)
from unspin.lexicon.resources import glove_paths

Relation = Literal["synonym", "inflection"]

# Dropped before comparing phrases: "has presented" and "presented" say the same thing.
FUNCTION_WORDS = frozenset(
    "a an the to be is are was were been being am has have had having do does did "
    "will would shall should can could may might must".split()
)

# GloVe cosine at which two words count as synonyms when no thesaurus links them.
# Antonyms and co-hyponyms (monday/tuesday 0.998, two/three) are also close in GloVe,
# so the vector alone is trusted only when WordNet does not show them as such, and
# only very close: on the tuning pairs, 0.8 gained one synonym in 155 and let in four
# more co-hyponyms in 75 (cat/dog, teacher/student); 0.9 gained none.
GLOVE_SYNONYM_MIN = 0.9

_RELATION_CACHE = 1 << 17
_WORD_CACHE = 1 << 16

# (id, GloVe row or None, GloVe norm or None, WordNet POS bits)
_WordInfo = tuple[int, int | None, float | None, int]


class Lexicon:
    """Read-only view of the lexicon cache; safe to share between threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._uri = path.resolve().as_uri() + "?mode=ro&immutable=1"
        self._local = threading.local()
        self._vectors_lock = threading.Lock()
        self._vectors: glove.Vectors | None = None
        # Per-instance caches (a class-level lru_cache would keep every instance alive).
        self._relation_cached = lru_cache(maxsize=_RELATION_CACHE)(self._relation)
        self._info = lru_cache(maxsize=_WORD_CACHE)(self._lookup_word)
        self._forms = lru_cache(maxsize=_WORD_CACHE)(self._word_forms)
        self._phrases: frozenset[str] | None = None

    # -- storage -------------------------------------------------------------------

    def _db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            # immutable=1: the file never changes once renamed into place, so SQLite
            # can skip file locking on every read.
            db = sqlite3.connect(self._uri, uri=True, check_same_thread=False)
            self._local.db = db
        return db

    def _lookup_word(self, word: str) -> _WordInfo | None:
        row = (
            self._db()
            .execute("SELECT id, glove, norm, pos FROM word WHERE w = ?", (word,))
            .fetchone()
        )
        return None if row is None else (row[0], row[1], row[2], row[3])

    def _matrix(self) -> glove.Vectors:
        if self._vectors is None:
            with self._vectors_lock:
                if self._vectors is None:
                    self._vectors = glove.open_vectors(glove_paths()[0])
        return self._vectors

    # -- relation ------------------------------------------------------------------

    def relation(self, copy_word: str, source_word: str) -> Relation | None:
        """How ``copy_word`` relates to ``source_word``: a synonym, an inflection, or neither.

        Both are lowercase words or space-joined phrases. "inflection" means the same
        lemma (showed/shows) or a derivation (tax/taxation); "synonym" means a shared
        WordNet synset, a thesaurus synonym that GloVe confirms, or words that GloVe
        puts very close and WordNet does not call antonyms or siblings.
        """
        return self._relation_cached(copy_word, source_word)

    def _relation(self, copy_word: str, source_word: str) -> Relation | None:
        tokens_a = _content_tokens(copy_word.lower())
        tokens_b = _content_tokens(source_word.lower())
        if not tokens_a or not tokens_b:
            return None
        if tokens_a == tokens_b:
            return "inflection"
        found = self._word_relation(" ".join(tokens_a), " ".join(tokens_b))
        if found is not None or (len(tokens_a) == 1 and len(tokens_b) == 1):
            return found
        if len(tokens_a) == len(tokens_b):
            return self._aligned_relation(tokens_a, tokens_b)
        # One phrase longer than the other: compare heads (the last word, as in
        # "Hollywood actor" / "star").
        return self._word_relation(tokens_a[-1], tokens_b[-1])

    def _aligned_relation(self, tokens_a: list[str], tokens_b: list[str]) -> Relation | None:
        """Word-by-word relation of equally long phrases: every word must match or relate."""
        result: Relation = "inflection"
        for a, b in zip(tokens_a, tokens_b, strict=True):
            if a == b:
                continue
            found = self._word_relation(a, b)
            if found is None:
                return None
            if found == "synonym":
                result = "synonym"
        return result

    def _word_relation(self, a: str, b: str) -> Relation | None:
        forms_a, forms_b = self._forms(a), self._forms(b)
        if forms_a & forms_b:
            return "inflection"
        ids_a = self._ids(forms_a)
        ids_b = self._ids(forms_b)
        bits = self._pair_bits(ids_a, ids_b) if ids_a and ids_b else 0
        if bits & DERIVED:
            return "inflection"
        if bits & SYNONYM_BITS:
            return "synonym"
        if bits & ANTONYM or " " in a or " " in b:
            return None
        if self.similarity(a, b) >= GLOVE_SYNONYM_MIN and not self._siblings(ids_a, ids_b):
            return "synonym"
        return None

    def _word_forms(self, word: str) -> frozenset[str]:
        """The word and its lemmas; for a phrase, with its first or last word lemmatised."""
        forms = {word}
        words = word.split(" ")
        for lemma in _all_lemmas(words[0]):
            forms.add(" ".join([lemma, *words[1:]]))
        if len(words) > 1:
            for lemma in _all_lemmas(words[-1]):
                forms.add(" ".join([*words[:-1], lemma]))
        return frozenset(forms)

    def _ids(self, forms: frozenset[str]) -> tuple[int, ...]:
        return tuple(info[0] for form in forms if (info := self._info(form)) is not None)

    def _pair_bits(self, ids_a: tuple[int, ...], ids_b: tuple[int, ...]) -> int:
        sql = (
            f"SELECT src FROM rel WHERE a IN ({','.join('?' * len(ids_a))}) "
            f"AND b IN ({','.join('?' * len(ids_b))})"
        )
        bits = 0
        for (src,) in self._db().execute(sql, ids_a + ids_b):
            bits |= src
        return int(bits)

    def _siblings(self, ids_a: tuple[int, ...], ids_b: tuple[int, ...]) -> bool:
        """Whether WordNet files the two under one hypernym (monday/tuesday)."""
        return bool(self._parents(ids_a) & self._parents(ids_b))

    def _parents(self, ids: tuple[int, ...]) -> set[int]:
        if not ids:
            return set()
        sql = f"SELECT p FROM parent WHERE w IN ({','.join('?' * len(ids))})"
        return {row[0] for row in self._db().execute(sql, ids)}

    # -- other lookups -------------------------------------------------------------

    def synonyms(self, word: str, pos: str | None = None, limit: int = 50) -> list[str]:
        """Replacement candidates for ``word``'s lemma, best first (may contain phrases).

        ``pos`` is one of NOUN, VERB, ADJ, ADV, or None for all.
        """
        word = word.lower()
        pos_bit = POS_BITS[pos] if pos is not None else 0
        lemmas = [word] if self._info(word) is not None else []
        lemmas += [lemma for lemma in _all_lemmas(word, pos) if lemma != word]
        best: dict[str, float] = {}
        for lemma in lemmas:
            info = self._info(lemma)
            if info is None:
                continue
            rows = self._db().execute(
                "SELECT w.w, r.score, r.pos, w.pos FROM rel r JOIN word w ON w.id = r.b "
                "WHERE r.a = ? AND r.src & ?",
                (info[0], SYNONYM_BITS),
            )
            for candidate, score, pair_pos, word_pos in rows:
                if pos_bit and not (pair_pos or word_pos) & pos_bit:
                    continue
                if score > best.get(candidate, -1.0):
                    best[candidate] = score
        for lemma in lemmas:
            best.pop(lemma, None)
        ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))
        return [candidate for candidate, _ in ranked[:limit]]

    def phrases(self) -> frozenset[str]:
        """Every multiword entry ("crime syndicate", "set aside"), space-joined, lowercase.

        Read once (about 65,000 entries): a set lookup is how a caller asks "is this
        a phrase?" for every word pair of a text without a query per pair.
        """
        if self._phrases is None:
            rows = self._db().execute("SELECT w FROM word WHERE instr(w, ' ') > 0")
            self._phrases = frozenset(row[0] for row in rows)
        return self._phrases

    def lemmas(self, word: str) -> dict[str, list[str]]:
        """Universal POS tag -> lemmas of ``word``, from lemminflect."""
        return {upos: list(found) for upos, found in lemminflect.getAllLemmas(word).items()}

    def inflect(self, lemma: str, tag: str) -> str | None:
        """``lemma`` inflected for a Penn tag (VBD, NNS...), or None when lemminflect can't."""
        return _inflect(lemma, tag)

    def similarity(self, a: str, b: str) -> float:
        """GloVe cosine of two words, 0.0 when either is not in GloVe."""
        info_a, info_b = self._info(a), self._info(b)
        if info_a is None or info_b is None:
            return 0.0
        row_a, norm_a, row_b, norm_b = info_a[1], info_a[2], info_b[1], info_b[2]
        if row_a is None or row_b is None or not norm_a or not norm_b:
            return 0.0
        matrix = self._matrix()
        return float(matrix[row_a] @ matrix[row_b]) / (norm_a * norm_b)

    def zipf(self, word: str) -> float:
        """Word frequency on the Zipf scale (wordfreq, English); 0.0 when unseen."""
        return _zipf(word)

    def is_word(self, word: str) -> bool:
        """Whether ``word`` is a known English word: in WordNet (as is or by its lemma),
        or seen often enough by wordfreq (Zipf > 1.5).

        GloVe alone is not enough: its 400,000 tokens include many typos and fragments.
        """
        word = word.lower()
        if any(info[3] for form in self._forms(word) if (info := self._info(form))):
            return True
        return self.zipf(word) > 1.5


def _content_tokens(text: str) -> list[str]:
    tokens = text.split()
    content = [token for token in tokens if token not in FUNCTION_WORDS]
    # "has" against "had": nothing but function words, so compare them as they are.
    return content or tokens


def _all_lemmas(word: str, pos: str | None = None) -> list[str]:
    found = lemminflect.getAllLemmas(word, upos=pos) if pos else lemminflect.getAllLemmas(word)
    return [lemma.lower() for lemmas in found.values() for lemma in lemmas]


@lru_cache(maxsize=_WORD_CACHE)
def _inflect(lemma: str, tag: str) -> str | None:
    # lemminflect deep-copies its tables on every call: a word's forms are asked for again
    # and again (each candidate original of each judged word, in every text).
    forms = lemminflect.getInflection(lemma, tag)
    return str(forms[0]) if forms else None


@lru_cache(maxsize=_WORD_CACHE)
def _zipf(word: str) -> float:
    if word.isascii() and word.isalpha() and word.islower():
        return _plain_zipf(word)
    import wordfreq  # its import takes a few hundred ms: pay it only when asked

    return float(wordfreq.zipf_frequency(word, "en"))


def _plain_zipf(word: str) -> float:
    """``wordfreq.zipf_frequency(word, "en")`` for a word of plain lower-case letters, which
    wordfreq reads as one token: its list's frequency, rounded as wordfreq rounds it.

    Checks rank every new word of a page by frequency, and wordfreq spends most of its
    time on tokenizing each word first (13 µs a word against 1.4 µs here). Equal to
    wordfreq's answer for all 389,023 such words of its list and 100,000 random strings.
    """
    frequencies, floor = _english_frequencies()
    frequency = frequencies.get(word)
    if frequency is None:
        found = floor
    else:
        found = max(1.0 / (1.0 / frequency), floor)
        found = round(found, math.floor(-math.log(found, 10)) + 3)
    return round(math.log(found, 10) + 9, 2)


@lru_cache(maxsize=1)
def _english_frequencies() -> tuple[dict[str, float], float]:
    """wordfreq's English frequency list, and its floor (Zipf 0)."""
    import wordfreq

    return wordfreq.get_frequency_dict("en", "best"), wordfreq.zipf_to_freq(0.0)


_singleton: Lexicon | None = None
_singleton_lock = threading.Lock()


def get_lexicon() -> Lexicon:
    """The process-wide lexicon, building the cache first if needed (thread-safe)."""
    global _singleton
    if _singleton is None:
        with _singleton_lock:
            if _singleton is None:
                _singleton = Lexicon(build_cache())
    return _singleton

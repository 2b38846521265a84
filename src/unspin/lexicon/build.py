"""Build the merged lexicon cache (one SQLite file) from the raw resources.

The cache is built once (15-20 s) and then opened read-only by every
process. Two processes that build at once are serialised by a lock file, and
the finished file is moved into place with an atomic rename, so no reader ever
sees a half-written cache.
"""

from __future__ import annotations

import contextlib
import math
import os
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from unspin.errors import UnspinError
from unspin.io import atomic_write
from unspin.lexicon import glove
from unspin.lexicon.resources import ResourcePaths, resource_paths
from unspin.lexicon.thesaurus import read_moby, read_mythes
from unspin.lexicon.wordnet import DERIVATION, FILES, SIMILAR, Synset, read_synsets

# Bump when the schema or the rules that fill it (thresholds included) change:
# a new name forces a rebuild, and the build removes older versions.
CACHE_VERSION = 3
CACHE_NAME = f"lexicon-v{CACHE_VERSION}.sqlite"

# Source bits of a word pair (column ``rel.src``).
SYNSET = 1  # WordNet: both lemmas in one synset
SIMILAR_TO = 2  # WordNet: adjective synsets linked by "similar to"
MYTHES = 4  # MyThes thesaurus synonym
MOBY = 8  # Moby thesaurus synonym that GloVe also finds close
HYPERNYM = 16  # WordNet nouns: one is the direct hypernym of the other, and GloVe agrees
DERIVED = 32  # WordNet derivation / pertainym, direct or through one shared relative
ANTONYM = 64  # WordNet antonym
SYNONYM_BITS = SYNSET | SIMILAR_TO | MYTHES | MOBY | HYPERNYM

POS_BITS: dict[str, int] = {"NOUN": 1, "VERB": 2, "ADJ": 4, "ADV": 8}

# GloVe cosine a loose pair needs before it counts, tuned on 155 spinner-style synonym
# pairs against 75 antonym / co-hyponym pairs and 8,000 random pairs of frequent
# content words (Moby at 0.4 -> 0.5: recall 94.8% -> 93.5%, random hits -25%). Moby lists
# associations as well as synonyms, MyThes adds WordNet's pertainyms unmarked,
# similar-to links "periodic" to "monthly", and a hypernym is only a stand-in when the
# two words are used alike (actor/star: 0.74).
MIN_COSINE: dict[int, float] = {SIMILAR_TO: 0.4, MYTHES: 0.4, MOBY: 0.5, HYPERNYM: 0.6}

# Ranking scores for ``Lexicon.synonyms``: a shared synset beats a thesaurus entry,
# which beats a loose (Moby / hypernym) pair; frequency and sense rank break ties.
_TIER = {SYNSET: 3.0, SIMILAR_TO: 2.2, MYTHES: 2.0, MOBY: 1.0, HYPERNYM: 1.0}
_EXTRA_SOURCE_BONUS = 0.25

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE word (
    w TEXT PRIMARY KEY,      -- lowercase word or space-joined phrase
    id INTEGER NOT NULL,
    glove INTEGER,           -- row in the GloVe matrix, NULL when not in GloVe
    norm REAL,               -- length of that GloVe vector
    pos INTEGER NOT NULL     -- POS_BITS of its WordNet senses (0: not in WordNet)
) WITHOUT ROWID;
CREATE UNIQUE INDEX word_by_id ON word (id);
CREATE TABLE rel (
    a INTEGER NOT NULL,
    b INTEGER NOT NULL,
    src INTEGER NOT NULL,    -- source bits
    pos INTEGER NOT NULL,    -- POS_BITS of the senses that link them (0: unknown)
    score REAL NOT NULL,     -- how good b is as a replacement for a
    PRIMARY KEY (a, b)
) WITHOUT ROWID;
CREATE TABLE parent (
    w INTEGER NOT NULL,      -- word id
    p INTEGER NOT NULL,      -- a hypernym synset of one of its senses
    PRIMARY KEY (w, p)
) WITHOUT ROWID;
"""


def cache_dir() -> Path:
    """``$UNSPIN_CACHE_DIR`` if set, else ``~/.cache/unspin``."""
    configured = os.environ.get("UNSPIN_CACHE_DIR")
    return Path(configured) if configured else Path.home() / ".cache" / "unspin"


def cache_path() -> Path:
    """Where the current cache version lives."""
    return cache_dir() / CACHE_NAME


def build_cache(force: bool = False) -> Path:
    """Build the lexicon cache if it is missing (or always, with ``force``); return its path.

    Safe to call from several processes at once: one builds, the others wait and reuse it.
    """
    target = cache_path()
    if target.is_file() and not force:
        return target
    paths = resource_paths()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UnspinError(f"cannot create cache directory {target.parent}: {error}") from error
    with _exclusive_lock(target.with_name(target.name + ".lock")):
        # Another process may have finished the build while this one waited.
        if target.is_file() and not force:
            return target
        with atomic_write(target) as temporary:
            _write_cache(temporary, paths)
        _remove_old_versions(target)
    return target


def _remove_old_versions(current: Path) -> None:
    # Readers that still hold an old file open keep reading it (POSIX unlink semantics).
    for old in current.parent.glob("lexicon-v*.sqlite*"):
        if old.name.startswith(current.name) or old.suffix == ".tmp":
            continue
        with contextlib.suppress(OSError):
            old.unlink()


@contextlib.contextmanager
def _exclusive_lock(lock_path: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # not POSIX: the atomic rename alone keeps readers safe
        yield
        return
    with lock_path.open("a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


# A word pair waiting for the GloVe check: (source bit, id, id, POS bits).
_Candidate = tuple[int, int, int, int]


@dataclass
class _Pairs:
    """Directed word pairs being collected, keyed by (id, id) packed into one int."""

    src: defaultdict[int, int]
    pos: defaultdict[int, int]
    score: defaultdict[int, float]

    @classmethod
    def empty(cls) -> _Pairs:
        return cls(defaultdict(int), defaultdict(int), defaultdict(float))

    def add(self, a: int, b: int, bit: int, pos: int = 0, score: float = 0.0) -> None:
        if a == b:
            return
        key = a << 32 | b
        self.src[key] |= bit
        self.pos[key] |= pos
        if score > self.score[key]:
            self.score[key] = score


class _Words:
    """Word -> id table filled while reading the sources."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.pos: defaultdict[int, int] = defaultdict(int)

    def id(self, word: str) -> int:
        found = self.ids.get(word)
        if found is None:
            found = self.ids[word] = len(self.ids)
        return found


def _sense_ranks(wordnet_dir: Path) -> dict[tuple[str, tuple[str, int]], int]:
    """(lemma, synset key) -> rank of that sense among the lemma's senses (0 = most common)."""
    ranks: dict[tuple[str, tuple[str, int]], int] = {}
    for name in FILES:
        with (wordnet_dir / f"index.{name}").open(encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("  "):
                    continue
                fields = line.split()
                lemma, letter, count = fields[0].replace("_", " "), fields[1], int(fields[2])
                for rank, offset in enumerate(fields[-count:]):
                    ranks[(lemma, (letter, int(offset)))] = rank
    return ranks


def _add_wordnet(
    synsets: list[Synset],
    ranks: dict[tuple[str, tuple[str, int]], int],
    words: _Words,
    pairs: _Pairs,
) -> tuple[list[_Candidate], set[tuple[int, int]]]:
    """Add synset, derivation and antonym pairs.

    Returns the loose candidates (similar-to and hypernym pairs, kept later only where
    GloVe agrees) and the (word id, hypernym synset number) rows of the ``parent`` table.
    """
    number = {synset.key: n for n, synset in enumerate(synsets)}
    ids_of = {synset.key: [words.id(lemma) for lemma in synset.lemmas] for synset in synsets}
    derived: defaultdict[int, set[int]] = defaultdict(set)
    loose: list[_Candidate] = []
    parents: set[tuple[int, int]] = set()
    for synset in synsets:
        bit = POS_BITS[synset.pos]
        ids = ids_of[synset.key]
        for lemma, wid in zip(synset.lemmas, ids, strict=True):
            words.pos[wid] |= bit
            rank_bonus = 1.0 / (1 + ranks.get((lemma, synset.key), 5))
            for other in ids:
                pairs.add(wid, other, SYNSET, bit, _TIER[SYNSET] + rank_bonus)
        for key in synset.hypernyms:
            parents.update((wid, number[key]) for wid in ids)
        # Verb hypernyms are too general to stand in for a word (stay -> be, make -> act).
        for key in synset.class_hypernyms if synset.pos == "NOUN" else ():
            loose.extend((HYPERNYM, wid, other, bit) for wid in ids for other in ids_of[key])
        for pointer in synset.pointers:
            target_ids = ids_of[pointer.target]
            if pointer.symbol == SIMILAR:
                loose.extend((SIMILAR_TO, wid, other, bit) for wid in ids for other in target_ids)
            elif pointer.source_word and pointer.target_word:
                source = ids[pointer.source_word - 1]
                other = target_ids[pointer.target_word - 1]
                if pointer.symbol in DERIVATION:
                    derived[source].add(other)
                    derived[other].add(source)
                else:
                    pairs.add(source, other, ANTONYM)
                    pairs.add(other, source, ANTONYM)
    _add_derivations(derived, words, pairs)
    return loose, parents


def _add_derivations(derived: dict[int, set[int]], words: _Words, pairs: _Pairs) -> None:
    """Derivation pairs, direct or through one shared relative (residency/reside/residence).

    WordNet's derivation links are partly semantic (sky -> celestial); only pairs that
    also look alike in spelling are morphological variants.
    """
    word_of = {wid: word for word, wid in words.ids.items()}
    for wid, relatives in derived.items():
        family = set(relatives)
        for other in relatives:
            family |= derived[other]
        family.discard(wid)
        for other in family:
            if _look_alike(word_of[wid], word_of[other]):
                pairs.add(wid, other, DERIVED)


def _look_alike(a: str, b: str) -> bool:
    """Share a stem: a common prefix of at least 3 letters and half the shorter word."""
    shared = 0
    for char_a, char_b in zip(a, b, strict=False):
        if char_a != char_b:
            break
        shared += 1
    return shared >= 3 and 2 * shared >= min(len(a), len(b))


def _mythes_candidates(path: Path, words: _Words) -> list[_Candidate]:
    return [
        (MYTHES, words.id(head), words.id(term), POS_BITS.get(upos, 0))
        for head, term, upos in read_mythes(path)
    ]


def _moby_candidates(path: Path, words: _Words) -> list[_Candidate]:
    # Only words some other source knows: Moby alone lists many rare and odd entries.
    ids = words.ids
    return [
        (MOBY, ids[root], ids[synonym], 0)
        for root, synonyms in read_moby(path)
        if root in ids
        for synonym in synonyms
        if synonym in ids
    ]


def _pair_cosines(unit: glove.Vectors, rows_a: list[int], rows_b: list[int]) -> np.ndarray:
    """Cosines of many row pairs of a normalised matrix, in chunks to bound memory."""
    a = np.asarray(rows_a, dtype=np.int64)
    b = np.asarray(rows_b, dtype=np.int64)
    out = np.empty(len(a), dtype=np.float32)
    step = 262_144
    for start in range(0, len(a), step):
        end = start + step
        out[start:end] = np.einsum("ij,ij->i", unit[a[start:end]], unit[b[start:end]])
    return out


def _add_gated(
    candidates: list[_Candidate],
    glove_row: dict[int, int],
    unit: glove.Vectors,
    parents: set[tuple[int, int]],
    pairs: _Pairs,
) -> None:
    """Add loose pairs (both directions) only where GloVe puts the two words close.

    Thesauri (Moby above all) also list antonyms and co-hyponyms (north/south,
    gold/silver), which GloVe puts close too: WordNet antonyms and words filed under
    one hypernym are dropped, except for hypernym pairs, which are siblings by nature.
    """
    parents_of: defaultdict[int, set[int]] = defaultdict(set)
    for wid, parent in parents:
        parents_of[wid].add(parent)
    known = [
        (bit, a, b, pos)
        for bit, a, b, pos in candidates
        if a in glove_row
        and b in glove_row
        and not pairs.src.get(a << 32 | b, 0) & ANTONYM
        and (bit == HYPERNYM or not parents_of[a] & parents_of[b])
    ]
    cosines = _pair_cosines(
        unit, [glove_row[c[1]] for c in known], [glove_row[c[2]] for c in known]
    )
    for (bit, a, b, pos), cos in zip(known, cosines.tolist(), strict=True):
        if cos >= MIN_COSINE[bit]:
            pairs.add(a, b, bit, pos, _TIER[bit] + cos)
            pairs.add(b, a, bit, pos, _TIER[bit] + cos)


def _zipf_table() -> dict[str, float]:
    import wordfreq  # slow import, build only

    frequencies: dict[str, float] = wordfreq.get_frequency_dict("en")
    return {word: math.log10(freq) + 9.0 for word, freq in frequencies.items() if freq > 0}


def _write_cache(path: Path, paths: ResourcePaths) -> None:
    words = _Words()
    pairs = _Pairs.empty()
    synsets = list(read_synsets(paths.wordnet_dir))
    loose, parents = _add_wordnet(synsets, _sense_ranks(paths.wordnet_dir), words, pairs)
    loose += _mythes_candidates(paths.mythes_file, words)

    vocabulary = glove.read_vocabulary(paths.glove_index)
    matrix = glove.open_vectors(paths.glove_vectors)
    unit = glove.unit_rows(matrix)
    norms = np.linalg.norm(np.asarray(matrix), axis=1).tolist()
    glove_row: dict[int, int] = {}
    for row, token in enumerate(vocabulary):
        glove_row.setdefault(words.id(token), row)

    loose += _moby_candidates(paths.moby_file, words)
    _add_gated(loose, glove_row, unit, parents, pairs)

    _store(path, words, pairs, parents, glove_row, norms)


def _store(
    path: Path,
    words: _Words,
    pairs: _Pairs,
    parents: set[tuple[int, int]],
    glove_row: dict[int, int],
    norms: list[float],
) -> None:
    """Write the collected tables into a new SQLite file, rows in key order."""
    zipf = _zipf_table()
    word_of = {wid: word for word, wid in words.ids.items()}
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
        db.executemany(
            "INSERT INTO word VALUES (?, ?, ?, ?, ?)",
            (
                (
                    word,
                    wid,
                    glove_row.get(wid),
                    norms[glove_row[wid]] if wid in glove_row else None,
                    words.pos[wid],
                )
                for word, wid in words.ids.items()
            ),
        )
        db.executemany(
            "INSERT INTO rel VALUES (?, ?, ?, ?, ?)",
            (
                (
                    key >> 32,
                    key & 0xFFFFFFFF,
                    src,
                    pairs.pos[key],
                    _final_score(src, pairs.score[key], zipf.get(word_of[key & 0xFFFFFFFF], 0.0)),
                )
                for key, src in sorted(pairs.src.items())
            ),
        )
        db.executemany("INSERT INTO parent VALUES (?, ?)", sorted(parents))
        db.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [
                ("version", str(CACHE_VERSION)),
                ("min_cosine", repr(MIN_COSINE)),
                ("words", str(len(words.ids))),
                ("pairs", str(len(pairs.src))),
            ],
        )
        db.commit()


def _final_score(src: int, base: float, zipf: float) -> float:
    extra_sources = (src & SYNONYM_BITS).bit_count() - 1
    return round(base + _EXTRA_SOURCE_BONUS * max(extra_sources, 0) + zipf / 10.0, 4)

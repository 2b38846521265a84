"""Build the merged lexicon cache (one SQLite file) from the raw resources.

The cache is built once (a few seconds) and then opened read-only by every
process. Two processes that build at once are serialised by a lock file, and
the finished file is moved into place with an atomic rename, so no reader ever
sees a half-written cache.
"""

from __future__ import annotations

import contextlib
import math
import os
import sqlite3
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from unspin.errors import UnspinError
from unspin.lexicon import glove
from unspin.lexicon.resources import ResourcePaths, resource_paths
from unspin.lexicon.thesaurus import read_moby, read_mythes
from unspin.lexicon.wordnet import DERIVATION, FILES, SIMILAR, Synset, read_synsets

# Bump when the schema or the rules that fill it change: a new name forces a rebuild.
CACHE_VERSION = 1
CACHE_NAME = f"lexicon-v{CACHE_VERSION}.sqlite"

# Source bits of a word pair (column ``rel.src``).
SYNSET = 1  # WordNet: both lemmas in one synset
SIMILAR_TO = 2  # WordNet: adjective synsets linked by "similar to"
MYTHES = 4  # MyThes thesaurus synonym
MOBY = 8  # Moby thesaurus synonym that GloVe also finds close
HYPERNYM = 16  # WordNet: one is the direct hypernym of the other, and GloVe finds them close
DERIVED = 32  # WordNet derivation / pertainym, direct or through one shared relative
ANTONYM = 64  # WordNet antonym
SYNONYM_BITS = SYNSET | SIMILAR_TO | MYTHES | MOBY | HYPERNYM

POS_BITS: dict[str, int] = {"NOUN": 1, "VERB": 2, "ADJ": 4, "ADV": 8}

# GloVe cosine a loose pair needs before it counts. Moby lists associations as well as
# synonyms, and a hypernym is only a stand-in when the two words are used alike.
MOBY_MIN_COSINE = 0.5
HYPERNYM_MIN_COSINE = 0.5

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
        fd, tmp_name = tempfile.mkstemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            _write_cache(tmp, paths)
            tmp.chmod(0o644)  # mkstemp makes it private; the cache is shared data
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
    return target


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
) -> tuple[list[tuple[int, int]], set[tuple[int, int]]]:
    """Add synset, similar-to, derivation and antonym pairs.

    Returns the (hyponym, hypernym) word pairs, to be kept only where GloVe agrees,
    and the (word id, hypernym synset number) rows of the ``parent`` table.
    """
    by_key = {synset.key: synset for synset in synsets}
    number = {synset.key: n for n, synset in enumerate(synsets)}
    ids_of = {synset.key: [words.id(lemma) for lemma in synset.lemmas] for synset in synsets}
    derived: defaultdict[int, set[int]] = defaultdict(set)
    hypernym_pairs: list[tuple[int, int]] = []
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
            if key in by_key:
                parents.update((wid, number[key]) for wid in ids)
                hypernym_pairs.extend((wid, other) for wid in ids for other in ids_of[key])
        for pointer in synset.pointers:
            if pointer.target not in by_key:
                continue
            target_ids = ids_of[pointer.target]
            if pointer.symbol == SIMILAR:
                for wid in ids:
                    for other in target_ids:
                        pairs.add(wid, other, SIMILAR_TO, bit, _TIER[SIMILAR_TO])
                        pairs.add(other, wid, SIMILAR_TO, bit, _TIER[SIMILAR_TO])
            elif pointer.source_word and pointer.target_word:
                source = ids[pointer.source_word - 1]
                other = target_ids[pointer.target_word - 1]
                if pointer.symbol in DERIVATION:
                    derived[source].add(other)
                    derived[other].add(source)
                else:
                    pairs.add(source, other, ANTONYM)
                    pairs.add(other, source, ANTONYM)
    for wid, relatives in derived.items():
        for other in relatives:
            pairs.add(wid, other, DERIVED)
            # residency -> reside -> residence: siblings through one shared relative.
            for sibling in derived[other]:
                pairs.add(wid, sibling, DERIVED)
    return hypernym_pairs, parents


def _add_mythes(path: Path, words: _Words, pairs: _Pairs) -> None:
    for head, term, upos in read_mythes(path):
        a, b, bit = words.id(head), words.id(term), POS_BITS.get(upos, 0)
        pairs.add(a, b, MYTHES, bit, _TIER[MYTHES])
        pairs.add(b, a, MYTHES, bit, _TIER[MYTHES])


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
    candidates: list[tuple[int, int]],
    bit: int,
    min_cosine: float,
    glove_row: dict[int, int],
    unit: glove.Vectors,
    pairs: _Pairs,
) -> None:
    """Add loose pairs (both directions) only where GloVe puts the two words close."""
    known = [(a, b) for a, b in candidates if a in glove_row and b in glove_row]
    cosines = _pair_cosines(unit, [glove_row[a] for a, _ in known], [glove_row[b] for _, b in known])
    for (a, b), cos in zip(known, cosines.tolist(), strict=True):
        if cos >= min_cosine:
            pairs.add(a, b, bit, 0, _TIER[bit] + cos)
            pairs.add(b, a, bit, 0, _TIER[bit] + cos)


def _zipf_table() -> dict[str, float]:
    import wordfreq  # slow import, build only

    frequencies: dict[str, float] = wordfreq.get_frequency_dict("en")
    return {word: math.log10(freq) + 9.0 for word, freq in frequencies.items() if freq > 0}


def _write_cache(path: Path, paths: ResourcePaths) -> None:
    words = _Words()
    pairs = _Pairs.empty()
    synsets = list(read_synsets(paths.wordnet_dir))
    hypernym_pairs, parents = _add_wordnet(
        synsets, _sense_ranks(paths.wordnet_dir), words, pairs
    )
    _add_mythes(paths.mythes_file, words, pairs)

    vocabulary = glove.read_vocabulary(paths.glove_index)
    matrix = glove.open_vectors(paths.glove_vectors)
    unit = glove.unit_rows(matrix)
    norms = np.linalg.norm(np.asarray(matrix), axis=1).tolist()
    glove_row: dict[int, int] = {}
    for row, token in enumerate(vocabulary):
        glove_row.setdefault(words.id(token), row)

    moby = [
        (words.ids[root], words.ids[synonym])
        for root, synonyms in read_moby(paths.moby_file)
        if root in words.ids
        for synonym in synonyms
        if synonym in words.ids
    ]
    _add_gated(moby, MOBY, MOBY_MIN_COSINE, glove_row, unit, pairs)
    _add_gated(hypernym_pairs, HYPERNYM, HYPERNYM_MIN_COSINE, glove_row, unit, pairs)

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
                ("moby_min_cosine", str(MOBY_MIN_COSINE)),
                ("hypernym_min_cosine", str(HYPERNYM_MIN_COSINE)),
                ("words", str(len(words.ids))),
                ("pairs", str(len(pairs.src))),
            ],
        )
        db.commit()


def _final_score(src: int, base: float, zipf: float) -> float:
    extra_sources = (src & SYNONYM_BITS).bit_count() - 1
    return round(base + _EXTRA_SOURCE_BONUS * max(extra_sources, 0) + zipf / 10.0, 4)

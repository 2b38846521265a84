"""The archive index: original articles and their fingerprints in one SQLite file.

Why SQLite: one file, no server, crash-safe transactions, and readers that
keep working while a writer adds documents (WAL mode). The schema is two
tables: ``documents`` keeps each article as given, and ``postings`` maps every
fingerprint hash to the documents that contain it (a clustered WITHOUT ROWID
B-tree, so a lookup is one seek).

Documents are added in batches, each batch one transaction holding both the
documents and their postings. A run killed at any moment therefore leaves
whole documents or none, and a rerun picks up where it stopped because ids
already present are skipped.

Size at scale (millions of documents): a posting stores the fingerprint's
top 32 bits (a 4-byte SQLite integer instead of 8; the rare collision only
adds a stray vote, which retrieval's two-shared-fingerprints rule and the
aligner filter out), pages are 16 KiB (an article no longer leaves most of a
4 KiB page empty), and fingerprints found in more than :data:`COMMON_DF`
documents are moved to a ``common`` table and their postings dropped:
retrieval ignores them anyway, and in a large archive they are half of all
postings. That pruning runs whenever the index has grown by a quarter.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from unspin.errors import UnspinError
from unspin.fingerprint import GRAM, SAMPLE, fingerprint
from unspin.model import Document
from unspin.normalize import NORMALIZATION_VERSION, tokenize

SCHEMA_VERSION = 2
COMMON_DF = 256
"""Fingerprints in more documents than this keep no postings: :meth:`ArchiveIndex.postings`
reports them as too common for any ``max_df`` (retrieval uses 256)."""
_PRUNE_FROM = 50_000
"""Documents before the first pruning; below this few fingerprints are common."""
_PRUNE_GROWTH = 1.25
_SETTINGS = {
    "schema": str(SCHEMA_VERSION),
    "normalization": str(NORMALIZATION_VERSION),
    "gram": str(GRAM),
    "sample": str(SAMPLE),
}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    url TEXT, title TEXT, site TEXT, published TEXT,
    text TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS postings (
    hash INTEGER NOT NULL,
    doc INTEGER NOT NULL,
    PRIMARY KEY (hash, doc)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS common (hash INTEGER PRIMARY KEY);
"""


@dataclass(slots=True)
class AddStats:
    """What one call to :meth:`ArchiveIndex.add` did."""

    added: int = 0
    already_present: int = 0


class ArchiveIndex:
    """An on-disk index of original articles.

    Open one per thread, or share one: a lock serializes use of the single
    connection. Several processes may read while one writes.
    """

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = Path(path)
        if not create and not self.path.exists():
            raise UnspinError(f"{self.path}: no such index (create it with 'unspin index')")
        if self.path.is_dir():
            raise UnspinError(f"{self.path}: is a folder, not an index file")
        self._lock = threading.RLock()
        self._common: npt.NDArray[np.int64] | None = None
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            # Both only take effect on a new file, before its first table.
            self._db.execute("PRAGMA page_size=16384")
            self._db.execute("PRAGMA auto_vacuum=INCREMENTAL")
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA cache_size=-262144")
            self._db.execute("PRAGMA busy_timeout=30000")
            self._db.executescript(_SCHEMA)
            self._check_settings()
        except sqlite3.DatabaseError as error:
            raise UnspinError(f"{self.path}: not a usable unspin index ({error})") from None

    def _check_settings(self) -> None:
        stored = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        if not stored:
            self._db.executemany("INSERT INTO meta VALUES (?, ?)", _SETTINGS.items())
            return
        for key, value in _SETTINGS.items():
            if stored.get(key) != value:
                raise UnspinError(
                    f"{self.path}: built by another version of unspin ({key} {stored.get(key)}, "
                    f"this version needs {value}); rebuild it with 'unspin index'"
                )

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> ArchiveIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    def __contains__(self, doc_id: object) -> bool:
        with self._lock:
            row = self._db.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return row is not None

    def add(
        self,
        documents: Iterable[Document],
        *,
        batch_size: int = 500,
        workers: int | None = None,
        on_batch: Callable[[AddStats], None] | None = None,
    ) -> AddStats:
        """Add documents whose id is not in the index yet, one transaction per batch.

        Tokenizing and fingerprinting run in ``workers`` processes (default:
        one per CPU) while this process writes the previous batch.
        """
        stats = AddStats()
        before = len(self)
        for prepared in _prepare_all(
            _batches(documents, batch_size), workers or os.cpu_count() or 1
        ):
            self._store_batch(prepared, stats)
            if stats.added:
                self._prune_common(before + stats.added)
            if on_batch is not None:
                on_batch(stats)
        return stats

    def _common_hashes(self) -> npt.NDArray[np.int64]:
        """The sorted stored keys of fingerprints too common to keep postings for."""
        if self._common is None:
            with self._lock:
                rows = self._db.execute("SELECT hash FROM common ORDER BY hash").fetchall()
            self._common = np.array([r[0] for r in rows], dtype=np.int64)
        return self._common

    def _prune_common(self, total: int) -> None:
        """Move fingerprints in more than COMMON_DF documents to ``common``, after enough growth.

        ``total`` is the number of documents in the index now.
        """
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = 'pruned_at'").fetchone()
            if total < _PRUNE_FROM or (row and total < _PRUNE_GROWTH * int(row[0])):
                return
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute(
                    "INSERT OR IGNORE INTO common SELECT hash FROM postings "
                    "GROUP BY hash HAVING COUNT(*) > ?",
                    (COMMON_DF,),
                )
                self._db.execute("DELETE FROM postings WHERE hash IN (SELECT hash FROM common)")
                self._db.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('pruned_at', ?)", (str(total),)
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("PRAGMA incremental_vacuum")
            self._common = None

    def _store_batch(self, prepared: Sequence[_Prepared], stats: AddStats) -> None:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                postings: list[tuple[int, int]] = []
                common = self._common_hashes()
                for doc, hashes in prepared:
                    cursor = self._db.execute(
                        "INSERT OR IGNORE INTO documents (id, url, title, site, published, text) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        (doc.id, doc.url, doc.title, doc.site, doc.published, doc.text),
                    )
                    if cursor.rowcount == 0:
                        stats.already_present += 1
                        continue
                    rowid = int(cursor.lastrowid or 0)
                    keys = _stored_keys(hashes)
                    if common.size:
                        keys = keys[~np.isin(keys, common)]
                    postings.extend((h, rowid) for h in set(keys.tolist()))
                    stats.added += 1
                postings.sort()
                self._db.executemany("INSERT OR IGNORE INTO postings VALUES (?, ?)", postings)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def document(self, rowid: int) -> Document:
        """The document stored under an internal row number."""
        with self._lock:
            row = self._db.execute(
                "SELECT id, text, url, title, site, published FROM documents WHERE rowid = ?",
                (rowid,),
            ).fetchone()
        if row is None:
            raise KeyError(rowid)
        return Document(*row)

    def get(self, doc_id: str) -> Document | None:
        """The document with this id, or None."""
        with self._lock:
            row = self._db.execute(
                "SELECT id, text, url, title, site, published FROM documents WHERE id = ?",
                (doc_id,),
            ).fetchone()
        return Document(*row) if row else None

    def postings(self, hashes: Iterable[int], *, max_df: int) -> dict[int, list[int]]:
        """Documents holding each fingerprint, for fingerprints in at most ``max_df`` documents.

        Fingerprints found in more documents carry too little evidence to be
        worth reading; they come back as empty lists so callers can still count
        them as seen.
        """
        values = list(hashes)
        keys = _stored_keys(np.array(values, dtype=np.int64)).tolist()
        common = self._common_hashes()
        too_common = np.isin(keys, common).tolist() if common.size else [False] * len(keys)
        found: dict[int, list[int]] = {}
        with self._lock:
            for value, key, is_common in zip(values, keys, too_common, strict=True):
                if is_common:
                    found[value] = []
                    continue
                rows = self._db.execute(
                    "SELECT doc FROM postings WHERE hash = ? LIMIT ?", (key, max_df + 1)
                ).fetchall()
                if rows:
                    found[value] = [r[0] for r in rows] if len(rows) <= max_df else []
        return found

    def iter_documents(self) -> Iterator[Document]:
        """Every document, in insertion order."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, text, url, title, site, published FROM documents ORDER BY rowid"
            ).fetchall()
        for row in rows:
            yield Document(*row)


_Prepared = tuple[Document, npt.NDArray[np.int64]]


def _stored_keys(hashes: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """What a posting stores of a fingerprint: its top 32 bits (a 4-byte SQLite integer).

    The top bits, because fingerprint sampling already fixed the low ones.
    """
    return hashes >> np.int64(32)


def _prepare(batch: list[Document]) -> list[_Prepared]:
    """Fingerprint a batch; the slow, parallel part of indexing."""
    return [(doc, fingerprint(doc.text, tokenize(doc.text)).hashes) for doc in batch]


def _prepare_all(batches: Iterator[list[Document]], workers: int) -> Iterator[list[_Prepared]]:
    """Prepared batches in input order, computed ahead by a process pool."""
    first = next(batches, None)
    if first is None:
        return
    second = next(batches, None)
    if workers <= 1 or second is None:
        yield _prepare(first)
        if second is not None:
            yield _prepare(second)
        for batch in batches:
            yield _prepare(batch)
        return
    with ProcessPoolExecutor(workers) as pool:
        pending: deque[Future[list[_Prepared]]] = deque(
            [pool.submit(_prepare, first), pool.submit(_prepare, second)]
        )
        for batch in batches:
            # Bounded read-ahead keeps memory flat on huge inputs.
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
            pending.append(pool.submit(_prepare, batch))
        while pending:
            yield pending.popleft().result()


def _batches(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for doc in documents:
        batch.append(doc)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch

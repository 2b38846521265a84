"""The archive index: original articles and their fingerprints in one SQLite file.

Why SQLite: one file, no server, crash-safe transactions, and readers that
keep working while a writer adds documents (WAL mode). ``documents`` keeps
each article as given; postings (which documents contain each fingerprint
hash) live in sorted *runs*, and ``common`` lists the fingerprints too
common to keep postings for.

Why runs: the postings of a million documents are a hundred million (hash,
document) pairs in random hash order. Kept in one B-tree, every batch
inserts into pages all over it, so each transaction rewrites most of the
tree and the build slows down as the index grows (quadratic: the 1M build
fell from 580 to 235 documents/s before half way). Instead, as in a
log-structured merge tree:

- each batch writes its postings, sorted, into a new run table
  (``postings_<n>``, a clustered WITHOUT ROWID B-tree), which is a sequential
  append; a small batch goes into the newest run while that run is still
  small;
- runs of about the same size are merged, :data:`_FAN_IN` at a time, so there
  are never more than a dozen or so;
- when the newer runs together hold half as many postings as the *main* run
  (the oldest, largest one), everything is merged into a new main run. A
  merge reads the runs in key order and writes the new run in key order, so
  it costs one sequential pass, and the whole build rewrites each posting
  only a few times.

The view ``postings`` unites the runs; a lookup is one seek per run.

Documents are added in batches, each batch one transaction holding both the
documents and their postings, and each merge is one transaction too. A run
killed at any moment therefore leaves whole documents or none and every
posting in exactly one run, and a rerun picks up where it stopped because
ids already present are skipped.

Size at scale (millions of documents): a posting stores the fingerprint's
top 32 bits (a 4-byte SQLite integer instead of 8; the rare collision only
adds a stray vote, which retrieval's two-shared-fingerprints rule and the
aligner filter out), pages are 16 KiB (an article no longer leaves most of a
4 KiB page empty), and fingerprints found in more than :data:`COMMON_DF`
documents are listed in ``common`` and their postings dropped: retrieval
ignores them anyway, and in a large archive they are a third of all
postings. Counting them is part of every merge into the main run (the only
time all postings pass by in hash order), from :data:`_PRUNE_FROM`
documents on; their postings go at the next such merge, which rewrites them
anyway, except after the first count, which finds so many that the main run
is written again at once. Space freed by merges is reused, and given back
to the file system at the end of each :meth:`ArchiveIndex.add`.
"""

from __future__ import annotations

import functools
import itertools
import os
import re
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from unspin.errors import UnspinError
from unspin.fingerprint import GRAM, SAMPLE, edition_key, fingerprint
from unspin.model import Document, Editions
from unspin.normalize import NORMALIZATION_VERSION, tokenize
from unspin.parallel import bounded_map

SCHEMA_VERSION = 4
COMMON_DF = 256
"""Fingerprints in more documents than this keep no postings: :meth:`ArchiveIndex.postings`
reports them as too common for any ``max_df`` (retrieval uses 256)."""
_PRUNE_FROM = 50_000
"""Documents before the first pruning; below this few fingerprints are common."""
_RUN_BASE = 65_536
"""Postings: a batch goes into the newest run while that run holds fewer than
this (a few dozen pages), else into a new run. Also the unit of run levels."""
_FAN_IN = 4
"""Runs merged at once: that many runs of one level (sizes within a factor of
this, from :data:`_RUN_BASE` up) become one run of the next level."""
_MERGE_MIN = 2_000_000
_MERGE_FRACTION = 0.5
"""The newer runs are merged into the main run once they hold this share of
its postings (and at least :data:`_MERGE_MIN`), so merging the main run costs
a constant number of passes over each posting in all."""
_SETTINGS = {
    "schema": str(SCHEMA_VERSION),
    "normalization": str(NORMALIZATION_VERSION),
    "gram": str(GRAM),
    "sample": str(SAMPLE),
}

_TABLES = (
    """CREATE TABLE IF NOT EXISTS documents (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        url TEXT, title TEXT, site TEXT, published TEXT,
        text TEXT NOT NULL,
        edition INTEGER NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS documents_edition ON documents (edition, rowid)",
    # One row per edition group: documents carrying one story word for word.
    # Its id is its first member's rowid, which its postings name; source:
    # the member a check names (the earliest published, then the first indexed).
    "CREATE TABLE IF NOT EXISTS editions (id INTEGER PRIMARY KEY, body INTEGER NOT NULL UNIQUE, "
    "members INTEGER NOT NULL, source INTEGER NOT NULL)",
    # One row per postings run, whose table is postings_<id>; main: the run
    # that the last merge of all runs wrote.
    "CREATE TABLE IF NOT EXISTS runs (id INTEGER PRIMARY KEY, rows INTEGER NOT NULL, "
    "main INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS common (hash INTEGER PRIMARY KEY)",
)

_LOW32 = np.int64(0xFFFFFFFF)
_HIGH32 = np.int64(~0xFFFFFFFF)


@dataclass(slots=True)
class AddStats:
    """What one call to :meth:`ArchiveIndex.add` did."""

    added: int = 0
    already_present: int = 0
    reprints: int = 0
    """Added documents whose story was already indexed word for word (syndicated copies)."""


ALSO_IN_IDS = 20
"""Other members of an edition group named in a match, at most."""


@dataclass(slots=True)
class _Group:
    """An edition group while a batch is stored."""

    edition: int
    members: int
    source: int
    published: str | None


@dataclass(frozen=True, slots=True)
class _Run:
    id: int
    rows: int
    main: bool

    @property
    def table(self) -> str:
        return f"postings_{self.id}"

    @property
    def level(self) -> int:
        level, size = 0, _RUN_BASE * _FAN_IN
        while self.rows >= size:
            level, size = level + 1, size * _FAN_IN
        return level


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
        self._common_marker: object = None
        self._counts_marker: object = None
        self._cached_counts = (0, 0)
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            # Both only take effect on a new file, before its first table.
            self._db.execute("PRAGMA page_size=16384")
            self._db.execute("PRAGMA auto_vacuum=INCREMENTAL")
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA cache_size=-262144")
            self._db.execute("PRAGMA busy_timeout=30000")
            # A merge grows the WAL to the size of the run it writes; afterwards
            # the file shrinks back to this.
            self._db.execute("PRAGMA journal_size_limit=67108864")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
            )
            self._check_settings()
            for statement in _TABLES:
                self._db.execute(statement)
            if not self._runs():
                self._first_run()
        except sqlite3.DatabaseError as error:
            raise UnspinError(f"{self.path}: not a usable unspin index ({error})") from None

    def _check_settings(self) -> None:
        """Refuse an index built with other settings, before touching its tables."""
        stored = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        if not stored:
            identity = {"id": str(uuid.uuid4())}
            self._db.executemany(
                "INSERT OR IGNORE INTO meta VALUES (?, ?)", [*_SETTINGS.items(), *identity.items()]
            )
            return
        for key, value in _SETTINGS.items():
            if stored.get(key) != value:
                raise UnspinError(
                    f"{self.path}: built by another version of unspin ({key} {stored.get(key)}, "
                    f"this version needs {value}); rebuild it with 'unspin index'"
                )

    def _first_run(self) -> None:
        with self._lock, self._transaction():
            if not self._runs():  # another process may have been quicker
                self._new_run(_Run(1, 0, main=False))
                self._set_view([_Run(1, 0, main=False)])

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> ArchiveIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        return self._counts()[0]

    def _counts(self) -> tuple[int, int]:
        """Documents and edition groups, counted again only after a write.

        A count scans a table, and every check asks for both: ``data_version``
        moves when another connection commits, ``total_changes`` when this one does.
        """
        with self._lock:
            marker = (
                self._db.execute("PRAGMA data_version").fetchone()[0],
                self._db.total_changes,
            )
            if marker != self._counts_marker:
                documents = self._count()
                editions = int(self._db.execute("SELECT COUNT(*) FROM editions").fetchone()[0])
                self._cached_counts, self._counts_marker = (documents, editions), marker
            return self._cached_counts

    @functools.cached_property
    def id(self) -> str:
        """The index's identity: a UUID made when the file was created, kept for good."""
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = 'id'").fetchone()
        return str(row[0])

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
        one per CPU) while this process writes the previous batch. Merges of
        postings runs happen between batches, each in its own transaction.
        """
        stats = AddStats()
        for batch, keys in _prepare_all(
            _batches(documents, batch_size), workers or os.cpu_count() or 1
        ):
            self._store_batch(batch, keys, stats)
            self._merge_runs()
            if on_batch is not None:
                on_batch(stats)
        self._vacuum()
        return stats

    # --- writing -------------------------------------------------------------------------

    def _transaction(self, *, write: bool = True) -> _Transaction:
        return _Transaction(self._db, write=write)

    def _runs(self) -> list[_Run]:
        rows = self._db.execute("SELECT id, rows, main FROM runs ORDER BY id").fetchall()
        return [_Run(int(i), int(n), bool(m)) for i, n, m in rows]

    def _new_run(self, run: _Run) -> None:
        self._db.execute(
            f"CREATE TABLE {run.table} (hash INTEGER NOT NULL, doc INTEGER NOT NULL, "
            "PRIMARY KEY (hash, doc)) WITHOUT ROWID"
        )
        self._db.execute("INSERT INTO runs VALUES (?, ?, ?)", (run.id, run.rows, int(run.main)))

    def _set_view(self, runs: Sequence[_Run]) -> None:
        self._db.execute("DROP VIEW IF EXISTS postings")
        self._db.execute(
            "CREATE VIEW postings AS "
            + " UNION ALL ".join(f"SELECT hash, doc FROM {r.table}" for r in runs)
        )

    def _store_batch(self, batch: Sequence[Document], prepared: _Prepared, stats: AddStats) -> None:
        """Store a batch and its postings (from :func:`_prepare`) in one transaction.

        Only the first member of an edition group writes postings, and they
        name the group: a story reprinted by a thousand sites is indexed once,
        and its fingerprints stay as rare as the story is.
        """
        keys, bodies = prepared
        with self._lock, self._transaction():
            ids = [d.id for d in batch]
            found = self._rows_in("SELECT id FROM documents WHERE id IN ", ids)
            present = {row[0] for row in found}
            groups: dict[int, _Group] = {
                body: _Group(edition, members, source, published)
                for body, edition, members, source, published in self._rows_in(
                    "SELECT e.body, e.id, e.members, e.source, d.published FROM editions e "
                    "JOIN documents d ON d.rowid = e.source WHERE e.body IN ",
                    sorted({int(b) for b in bodies}),
                )
            }
            stored = {body: group.members for body, group in groups.items()}
            # The writer holds the database, so row numbers can be handed out here.
            next_rowid = int(
                self._db.execute("SELECT COALESCE(MAX(rowid), 0) + 1 FROM documents").fetchone()[0]
            )
            rowids = np.zeros(len(batch), dtype=np.int64)  # 0: no postings to write
            rows: list[tuple[object, ...]] = []
            for position, doc in enumerate(batch):
                if doc.id in present:
                    stats.already_present += 1
                    continue
                present.add(doc.id)
                rowid, next_rowid = next_rowid, next_rowid + 1
                body = int(bodies[position])
                group = groups.get(body)
                if group is None:
                    group = groups[body] = _Group(rowid, 0, rowid, doc.published)
                    rowids[position] = rowid
                else:
                    stats.reprints += 1
                    if _published_before(doc.published, group.published):
                        group.source, group.published = rowid, doc.published
                group.members += 1
                stats.added += 1
                rows.append(
                    (
                        rowid,
                        doc.id,
                        doc.url,
                        doc.title,
                        doc.site,
                        doc.published,
                        doc.text,
                        group.edition,
                    )
                )
            self._db.executemany("INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
            self._db.executemany(
                "INSERT OR REPLACE INTO editions VALUES (?, ?, ?, ?)",
                [
                    (g.edition, body, g.members, g.source)
                    for body, g in groups.items()
                    if stored.get(body) != g.members
                ],
            )
            hashes = keys >> np.int64(32)
            docs = rowids[keys & _LOW32]
            keep = docs > 0
            keep &= ~_isin_sorted(hashes, self._common_hashes())
            hashes, docs = hashes[keep], docs[keep]
            if not hashes.size:
                return
            runs = self._runs()
            newest = runs[-1]
            if newest.main or newest.rows >= _RUN_BASE:
                newest = _Run(newest.id + 1, 0, main=False)
                self._new_run(newest)
                self._set_view([*runs, newest])
            # Rowids grow with the position in the batch, so the keys' order
            # (hash, position) is (hash, rowid): a new run is written in key order.
            inserted = self._db.executemany(
                f"INSERT OR IGNORE INTO {newest.table} VALUES (?, ?)",
                zip(hashes.tolist(), docs.tolist(), strict=True),
            ).rowcount
            self._db.execute("UPDATE runs SET rows = rows + ? WHERE id = ?", (inserted, newest.id))

    def _rows_in(self, query: str, values: Sequence[object]) -> list[tuple[Any, ...]]:
        """Rows of ``query`` + ``(values...)``, asked in chunks (SQLite limits parameters)."""
        found: list[tuple[Any, ...]] = []
        for at in range(0, len(values), 500):
            chunk = values[at : at + 500]
            marks = ", ".join("?" * len(chunk))
            found += self._db.execute(f"{query}({marks})", chunk).fetchall()
        return found

    def _merge_runs(self) -> None:
        """Merge postings runs while the layout asks for it (each merge one transaction)."""
        while True:
            with self._lock:
                runs = self._runs()
            newer = [r for r in runs if not r.main]
            main_rows = sum(r.rows for r in runs if r.main)
            newer_rows = sum(r.rows for r in newer)
            if newer and newer_rows >= max(_MERGE_MIN, _MERGE_FRACTION * main_rows):
                self._merge(runs, into_main=True)
                return
            by_level: dict[int, list[_Run]] = {}
            for run in newer:
                by_level.setdefault(run.level, []).append(run)
            full = [group for _, group in sorted(by_level.items()) if len(group) >= _FAN_IN]
            if not full:
                return
            self._merge(full[0], into_main=False)

    def _merge(self, merged: Sequence[_Run], *, into_main: bool) -> None:
        """Replace runs by one run written in key order; into the main run, prune."""
        with self._lock, self._transaction():
            runs = self._runs()
            if not set(merged) <= set(runs):
                return  # another writer merged them meanwhile
            rows = sum(r.rows for r in merged)
            prune = into_main and self._count() >= _PRUNE_FROM
            if prune:
                # Postings of fingerprints found too common at the last pruning.
                # Deleted from runs about to be dropped, so they leave no holes.
                for run in merged:
                    rows -= self._db.execute(
                        f"DELETE FROM {run.table} WHERE hash IN (SELECT hash FROM common)"
                    ).rowcount
            new = self._write_run(_Run(runs[-1].id + 1, rows, into_main), merged)
            dropped = list(merged)
            if prune:
                found = self._prune(new)
                if found > new.rows // 8:
                    # Mostly the first pruning, which finds a third of all
                    # postings: write the run again without them.
                    dropped.append(new)
                    new = self._write_run(
                        _Run(new.id + 1, new.rows - found, main=True),
                        [new],
                        "WHERE hash NOT IN (SELECT hash FROM common)",
                    )
            for run in dropped:
                self._db.execute(f"DROP TABLE {run.table}")
                self._db.execute("DELETE FROM runs WHERE id = ?", (run.id,))
            ids = {r.id for r in dropped}
            self._set_view([r for r in runs if r.id not in ids] + [new])

    def _write_run(self, run: _Run, sources: Sequence[_Run], where: str = "") -> _Run:
        """Create ``run`` from the postings of ``sources``, read and written in key order."""
        self._new_run(run)
        self._db.execute(
            f"INSERT INTO {run.table} "
            + " UNION ALL ".join(f"SELECT hash, doc FROM {r.table} {where}" for r in sources)
            + " ORDER BY hash, doc"
        )
        return run

    def _prune(self, run: _Run) -> int:
        """Move fingerprints in more than COMMON_DF documents to ``common``.

        ``run``, the new main run, holds every posting of every fingerprint
        not in ``common`` yet, in key order, so counting is one pass without
        sorting. Returns how many of its postings belong to fingerprints it
        moved. Queries answer from ``common`` first; the postings themselves
        are deleted at the next merge into the main run (deleting them from
        this run would leave its pages part empty).
        """
        found = self._db.execute(
            f"SELECT hash, COUNT(*) FROM {run.table} GROUP BY hash HAVING COUNT(*) > ?",
            (COMMON_DF,),
        ).fetchall()
        self._db.executemany("INSERT OR IGNORE INTO common VALUES (?)", [(h,) for h, _ in found])
        self._db.execute(
            "INSERT OR REPLACE INTO meta VALUES ('pruned_at', ?)", (str(self._count()),)
        )
        self._common = None
        return sum(n for _, n in found)

    def _count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    def _vacuum(self) -> None:
        """Give pages that merges freed back to the file system."""
        with self._lock:
            if self._db.execute("PRAGMA freelist_count").fetchone()[0]:
                # executescript steps the pragma to the end; execute() would free one page.
                self._db.executescript("PRAGMA incremental_vacuum")

    def _common_hashes(self) -> npt.NDArray[np.int64]:
        """The sorted stored keys of fingerprints too common to keep postings for."""
        with self._lock:
            marker = self._db.execute("SELECT value FROM meta WHERE key = 'pruned_at'").fetchone()
            if self._common is None or marker != self._common_marker:
                rows = self._db.execute("SELECT hash FROM common ORDER BY hash").fetchall()
                self._common = np.array([r[0] for r in rows], dtype=np.int64)
                self._common_marker = marker
            return self._common

    # --- reading -------------------------------------------------------------------------

    def edition(self, edition_id: int) -> tuple[Document, Editions | None]:
        """The document that stands for an edition group, and the group's other members.

        Retrieval finds groups; a check names the member published first
        (the first indexed when dates are missing or equal) as the source.
        """
        with self._lock, self._transaction(write=False):
            row = self._db.execute(
                "SELECT members, source FROM editions WHERE id = ?", (edition_id,)
            ).fetchone()
            if row is None:
                raise KeyError(edition_id)
            members, source = row
            others: list[str] = []
            if members > 1:
                others = [
                    r[0]
                    for r in self._db.execute(
                        "SELECT id FROM documents WHERE edition = ? AND rowid != ? "
                        "ORDER BY rowid LIMIT ?",
                        (edition_id, source, ALSO_IN_IDS),
                    )
                ]
        document = self.document(source)
        return document, Editions(members - 1, tuple(others)) if members > 1 else None

    def editions(self) -> int:
        """How many distinct stories the index holds (edition groups)."""
        return self._counts()[1]

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
        them as seen. Documents come in rowid order.
        """
        values = list(hashes)
        keys = _stored_keys(np.array(values, dtype=np.int64)).tolist()
        found: dict[int, list[int]] = {}
        with self._lock, self._transaction(write=False):
            # One read transaction: the runs, their view and ``common`` as of one moment.
            too_common = _isin_sorted(np.array(keys, dtype=np.int64), self._common_hashes())
            for value, key, is_common in zip(values, keys, too_common.tolist(), strict=True):
                if is_common:
                    found[value] = []
                    continue
                rows = self._db.execute(
                    "SELECT doc FROM postings WHERE hash = ? LIMIT ?", (key, max_df + 1)
                ).fetchall()
                if rows:
                    found[value] = sorted(r[0] for r in rows) if len(rows) <= max_df else []
        return found

    def iter_documents(self) -> Iterator[Document]:
        """Every document, in insertion order."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, text, url, title, site, published FROM documents ORDER BY rowid"
            ).fetchall()
        for row in rows:
            yield Document(*row)


class _Transaction:
    """``BEGIN IMMEDIATE`` (or a plain read ``BEGIN``) ... ``COMMIT``, or ``ROLLBACK`` on error."""

    def __init__(self, db: sqlite3.Connection, *, write: bool = True) -> None:
        self._db = db
        self._begin = "BEGIN IMMEDIATE" if write else "BEGIN"

    def __enter__(self) -> None:
        self._db.execute(self._begin)

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        if kind is None:
            try:
                self._db.execute("COMMIT")
                return
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        self._db.execute("ROLLBACK")


def _isin_sorted(
    values: npt.NDArray[np.int64], sorted_set: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """``np.isin`` for a sorted, distinct ``sorted_set``, without sorting ``values``."""
    if not sorted_set.size:
        return np.zeros(values.shape, dtype=bool)
    where = np.minimum(np.searchsorted(sorted_set, values), sorted_set.size - 1)
    return np.asarray(sorted_set[where] == values)


def _stored_keys(hashes: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """What a posting stores of a fingerprint: its top 32 bits (a 4-byte SQLite integer).

    The top bits, because fingerprint sampling already fixed the low ones.
    """
    return hashes >> np.int64(32)


_Prepared = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]


def _prepare(texts: list[str]) -> _Prepared:
    """Fingerprint a batch; the slow, parallel part of indexing.

    Returns the batch's postings as sorted, distinct ``stored key << 32 |
    position in the batch`` values, and each text's :func:`edition_key`:
    two arrays, cheap to send between processes.
    """
    parts: list[npt.NDArray[np.int64]] = []
    bodies = np.zeros(len(texts), dtype=np.int64)
    for position, text in enumerate(texts):
        tokens = tokenize(text)
        parts.append((fingerprint(text, tokens).hashes & _HIGH32) | np.int64(position))
        bodies[position] = edition_key(text, tokens)
    if not parts:
        return np.zeros(0, dtype=np.int64), bodies
    return np.unique(np.concatenate(parts)), bodies


def _published_before(published: str | None, other: str | None) -> bool:
    """Whether an ISO date (or date and time) is earlier than another; unknown dates never are."""
    if not published or not _ISO_DATE.match(published):
        return False
    return not other or not _ISO_DATE.match(other) or published < other


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _prepare_all(
    batches: Iterator[list[Document]], workers: int
) -> Iterator[tuple[list[Document], _Prepared]]:
    """Batches with their postings keys, in input order, computed ahead by a process pool."""
    # Workers get only the texts; tee holds the few batches in flight until their keys are back.
    batches, in_flight = itertools.tee(batches)
    texts = ([d.text for d in batch] for batch in in_flight)
    return zip(batches, bounded_map(_prepare, texts, workers=workers), strict=True)


def _batches(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for doc in documents:
        batch.append(doc)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch

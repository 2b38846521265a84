"""Document storage: the articles as given, their edition groups, and a full-text index.

``documents`` keeps each article; its SQLite rowid, handed out in the order
documents are added, is the internal number postings name and never leaves
the core. ``editions`` has one row per edition group, the documents carrying
one story word for word (syndication). ``documents_fts``, an FTS5 index over
titles, sites and texts whose content stays in ``documents``, answers
searches; it grows with each batch, in the batch's transaction.
"""

from __future__ import annotations

import re
import sqlite3
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from unspin.model import Document, Editions
from unspin.storage import Database

ALSO_IN_IDS = 20
"""Other members of an edition group named in a match, at most."""
_COLUMNS = "id, text, url, title, site, published"
_JOINED_COLUMNS = "d.id, d.text, d.url, d.title, d.site, d.published"
_CHUNK = 500
"""Values asked for in one statement (SQLite limits parameters)."""
_SEARCH_TERMS = 8
_PREFIX_FROM = 3
"""Search words this long or longer match as prefixes too ("harbour" finds "harbours")."""
_SEARCH_WORD = re.compile(r"[^\W_]+")
"""What FTS5's unicode61 tokenizer calls a word: letters and digits."""
TERM_CACHE = 100_000
"""Words whose holders :meth:`DocumentStore.rare_terms` remembers between checks: a crawl's
pages share most of their vocabulary, and each word looked up costs a full-text query."""
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

FULL_TEXT = (
    "CREATE VIRTUAL TABLE documents_fts USING fts5(title, site, text, content='documents', "
    "content_rowid='rowid', detail=none, columnsize=0, tokenize='unicode61 remove_diacritics 2')"
)
"""Without positions (detail=none) or sizes (columnsize=0) the index stays small and quick
to write: searches need only which documents hold which words, in the order they came."""
TABLES = (
    """CREATE TABLE documents (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        url TEXT, title TEXT, site TEXT, published TEXT,
        text TEXT NOT NULL,
        edition INTEGER NOT NULL
    )""",
    "CREATE INDEX documents_edition ON documents (edition, rowid)",
    # Its id is its first member's rowid, which its postings name; source:
    # the member a check names (the earliest published, then the first indexed).
    "CREATE TABLE editions (id INTEGER PRIMARY KEY, body INTEGER NOT NULL UNIQUE, "
    "members INTEGER NOT NULL, source INTEGER NOT NULL)",
    FULL_TEXT,
)


def create_document_tables(db: sqlite3.Connection) -> None:
    for statement in TABLES:
        db.execute(statement)


def add_full_text(db: sqlite3.Connection) -> None:
    """Upgrade of an index without the full-text table: build it from the stored documents."""
    db.execute(FULL_TEXT)
    db.execute("INSERT INTO documents_fts (documents_fts) VALUES ('rebuild')")


@dataclass(slots=True)
class AddStats:
    """What one call to :meth:`unspin.index.ArchiveIndex.add` did."""

    added: int = 0
    already_present: int = 0
    reprints: int = 0
    """Added documents whose story was already indexed word for word (syndicated copies)."""


@dataclass(slots=True)
class _Group:
    """An edition group while a batch is stored."""

    edition: int
    members: int
    source: int
    published: str | None


class DocumentStore:
    """The documents and edition groups of one index file."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._written: object = None
        """The file's write marker when the caches below were filled (:func:`_write_marker`)."""
        self._cached_counts: tuple[int, int] | None = None
        self._term_holders: OrderedDict[tuple[str, int], npt.NDArray[np.int64] | None] = (
            OrderedDict()
        )
        """LRU of (word, max_df) -> the rowids holding it, None when more than max_df do."""

    def store(
        self,
        db: sqlite3.Connection,
        batch: Sequence[Document],
        bodies: npt.NDArray[np.int64],
        stats: AddStats,
    ) -> npt.NDArray[np.int64]:
        """Store the new documents of a batch, inside the caller's transaction.

        ``bodies`` holds each document's edition key. Returns, per position in
        the batch, the edition group whose postings the document writes, or 0:
        only the first member of a group writes postings, and they name the
        group, so a story reprinted by a thousand sites is indexed once and its
        fingerprints stay as rare as the story is.
        """
        present = _present(db, [d.id for d in batch])
        groups: dict[int, _Group] = {
            body: _Group(edition, members, source, published)
            for body, edition, members, source, published in _rows_in(
                db,
                "SELECT e.body, e.id, e.members, e.source, d.published FROM editions e "
                "JOIN documents d ON d.rowid = e.source WHERE e.body IN ",
                sorted({int(b) for b in bodies}),
            )
        }
        stored = {body: group.members for body, group in groups.items()}
        # The writer holds the database, so row numbers can be handed out here.
        next_rowid = int(
            db.execute("SELECT COALESCE(MAX(rowid), 0) + 1 FROM documents").fetchone()[0]
        )
        writes = np.zeros(len(batch), dtype=np.int64)
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
                writes[position] = rowid
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
        db.executemany("INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        db.executemany(
            "INSERT INTO documents_fts (rowid, title, site, text) VALUES (?, ?, ?, ?)",
            [(row[0], row[3], row[4], row[6]) for row in rows],
        )
        db.executemany(
            "INSERT OR REPLACE INTO editions VALUES (?, ?, ?, ?)",
            [
                (g.edition, body, g.members, g.source)
                for body, g in groups.items()
                if stored.get(body) != g.members
            ],
        )
        return writes

    # --- counts --------------------------------------------------------------------------

    def counts(self) -> tuple[int, int]:
        """Documents and edition groups, counted again only after a write (a count scans a
        table, and every check asks for both)."""
        with self._database.reading() as db:
            self._forget_if_written(db)
            if self._cached_counts is None:
                editions = int(db.execute("SELECT COUNT(*) FROM editions").fetchone()[0])
                self._cached_counts = (count_documents(db), editions)
            return self._cached_counts

    def _forget_if_written(self, db: sqlite3.Connection) -> None:
        """Empty the caches of counts and word holders once the file has been written."""
        marker = _write_marker(db)
        if marker != self._written:
            self._written = marker
            self._cached_counts = None
            self._term_holders.clear()

    # --- reading -------------------------------------------------------------------------

    def __contains__(self, doc_id: object) -> bool:
        return (
            self._database.query_one("SELECT 1 FROM documents WHERE id = ?", (doc_id,)) is not None
        )

    def merge_full_text(self) -> None:
        """Merge the full-text index's segments into one.

        Each batch written leaves a segment, and a word's lookup visits every
        segment: merged, a lookup costs a third as much (about 17 against 47
        microseconds in a 42,000-document index), and a check that looks for
        rewrites looks up a hundred words or more.
        """
        with self._database.transaction() as db:
            db.execute("INSERT INTO documents_fts (documents_fts) VALUES ('optimize')")

    def present(self, ids: Sequence[str]) -> set[str]:
        """Which of ``ids`` the index holds: one query for many, where ``in`` asks once each."""
        with self._database.reading() as db:
            return _present(db, ids)

    def get(self, doc_id: str) -> Document | None:
        row = self._database.query_one(f"SELECT {_COLUMNS} FROM documents WHERE id = ?", (doc_id,))
        return Document(*row) if row else None

    def by_rowid(self, rowid: int) -> Document:
        row = self._database.query_one(
            f"SELECT {_COLUMNS} FROM documents WHERE rowid = ?", (rowid,)
        )
        if row is None:
            raise KeyError(rowid)
        return Document(*row)

    def documents(self, ids: Iterable[str]) -> dict[str, Document]:
        """The stored documents among ``ids``, by id (missing ids are left out)."""
        with self._database.reading() as db:
            rows = _rows_in(
                db, f"SELECT {_COLUMNS} FROM documents WHERE id IN ", list(dict.fromkeys(ids))
            )
        return {row[0]: Document(*row) for row in rows}

    def edition(self, edition_id: int) -> tuple[Document, Editions | None]:
        """The document that stands for an edition group, and the group's other members.

        Retrieval finds groups; a check names the member published first
        (the first indexed when dates are missing or equal) as the source.
        """
        with self._database.transaction(write=False) as db:
            row = db.execute(
                "SELECT members, source FROM editions WHERE id = ?", (edition_id,)
            ).fetchone()
            if row is None:
                raise KeyError(edition_id)
            members, source = row
            others: list[str] = []
            if members > 1:
                others = [
                    r[0]
                    for r in db.execute(
                        "SELECT id FROM documents WHERE edition = ? AND rowid != ? "
                        "ORDER BY rowid LIMIT ?",
                        (edition_id, source, ALSO_IN_IDS),
                    )
                ]
            document = self.by_rowid(source)
        return document, Editions(members - 1, tuple(others)) if members > 1 else None

    def iter_documents(self, batch_size: int = 1000) -> Iterator[Document]:
        """Every document, in insertion order, read ``batch_size`` at a time."""
        after = 0
        while True:
            rows = self._database.query(
                f"SELECT rowid, {_COLUMNS} FROM documents WHERE rowid > ? ORDER BY rowid LIMIT ?",
                (after, batch_size),
            )
            for row in rows:
                yield Document(*row[1:])
            if len(rows) < batch_size:
                return
            after = rows[-1][0]

    def search(self, query: str, *, limit: int = 50) -> list[Document]:
        """The document whose id is ``query``, then those whose title, site or text hold its words.

        Words match whole words of the index, and longer ones their beginnings
        too, regardless of case and accents; matches come in the order they
        were indexed.
        """
        found: list[Document] = []
        exact = self.get(query.strip())
        if exact is not None:
            found.append(exact)
        words = _SEARCH_WORD.findall(query)[:_SEARCH_TERMS]
        if not words or len(found) >= limit:
            return found[:limit]
        terms = " ".join(f'"{w}"*' if len(w) >= _PREFIX_FROM else f'"{w}"' for w in words)
        rows = self._database.query(
            # The full-text table drives, in rowid order, so LIMIT stops it early.
            f"SELECT {_JOINED_COLUMNS} FROM documents_fts "
            "JOIN documents d ON d.rowid = documents_fts.rowid "
            "WHERE documents_fts MATCH ? AND d.id != ? ORDER BY documents_fts.rowid LIMIT ?",
            (terms, query.strip(), limit - len(found)),
        )
        return found + [Document(*row) for row in rows]

    def rare_terms(
        self, words: Sequence[str], *, terms: int, max_df: int, limit: int
    ) -> list[tuple[int, float, int]]:
        """Edition groups holding the rarest of ``words``, best first: ``(edition, weight, words)``.

        Rewriting changes the wording but keeps names, numbers and rare words: a
        source shares many of its copy's rarest words, weighing ``log(1 + N / df)``
        each (``N`` documents, ``df`` of them holding the word). ``words`` come
        rarest first by the language's word frequencies; the first ``terms`` held
        by at most ``max_df`` documents are used. (The full-text index's own
        vocabulary table would give ``df`` directly, but a lookup in it costs a
        scan of the index's segments: tens of milliseconds in a large index.)
        """
        holding: list[npt.NDArray[np.int64]] = []
        with self._database.reading() as db:
            total = self.counts()[0]  # and the holders remembered are forgotten after a write
            for word in words:
                if len(holding) >= terms:
                    break
                if not _SEARCH_WORD.fullmatch(word):
                    continue  # one word of the full-text index, or it would be a phrase
                holders = self._holders(db, word, max_df)
                if holders is not None and holders.size:
                    holding.append(holders)
            if not holding:
                return []
            weights = np.log1p(total / np.array([h.size for h in holding], dtype=float))
            rowids, hit = np.unique(np.concatenate(holding), return_inverse=True)
            weight = np.bincount(hit, weights=np.repeat(weights, [h.size for h in holding]))
            count = np.bincount(hit)
            best = np.lexsort((rowids, -weight))[: 4 * limit]
            editions = dict(
                _rows_in(
                    db,
                    "SELECT rowid, edition FROM documents WHERE rowid IN ",
                    rowids[best].tolist(),
                )
            )
        ranked: dict[int, tuple[float, int]] = {}
        for i in best.tolist():  # best first: an edition's first document is its best
            edition = int(editions[int(rowids[i])])
            ranked.setdefault(edition, (float(weight[i]), int(count[i])))
        return [(edition, votes, shared) for edition, (votes, shared) in ranked.items()][:limit]

    def _holders(
        self, db: sqlite3.Connection, word: str, max_df: int
    ) -> npt.NDArray[np.int64] | None:
        """The rowids of the documents holding ``word``; None when more than ``max_df`` do."""
        key = (word.lower(), max_df)
        if key in self._term_holders:
            self._term_holders.move_to_end(key)
            return self._term_holders[key]
        rows = db.execute(
            "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? LIMIT ?",
            (f'"{word}"', max_df + 1),
        ).fetchall()
        holders = None if len(rows) > max_df else np.array([r for (r,) in rows], dtype=np.int64)
        self._term_holders[key] = holders
        if len(self._term_holders) > TERM_CACHE:
            self._term_holders.popitem(last=False)
        return holders

    def sites(self) -> dict[str, int]:
        """How many documents each site contributed, most first (those without a site left out)."""
        rows = self._database.query(
            "SELECT site, COUNT(*) FROM documents WHERE site IS NOT NULL AND site != '' "
            "GROUP BY site ORDER BY COUNT(*) DESC, site"
        )
        return {str(site): int(n) for site, n in rows}


def _write_marker(db: sqlite3.Connection) -> tuple[int, int]:
    """Moves whenever the file is written: ``data_version`` when another connection
    commits, ``total_changes`` when this one does."""
    return (int(db.execute("PRAGMA data_version").fetchone()[0]), db.total_changes)


def count_documents(db: sqlite3.Connection) -> int:
    """How many documents the index holds (a table scan; see :meth:`DocumentStore.counts`)."""
    return int(db.execute("SELECT COUNT(*) FROM documents").fetchone()[0])


def _rows_in(db: sqlite3.Connection, query: str, values: Sequence[object]) -> list[tuple[Any, ...]]:
    """Rows of ``query`` + ``(values...)``, asked in chunks (SQLite limits parameters)."""
    found: list[tuple[Any, ...]] = []
    for at in range(0, len(values), _CHUNK):
        chunk = values[at : at + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        found += db.execute(f"{query}({marks})", chunk).fetchall()
    return found


def _present(db: sqlite3.Connection, ids: Sequence[str]) -> set[str]:
    return {row[0] for row in _rows_in(db, "SELECT id FROM documents WHERE id IN ", ids)}


def _published_before(published: str | None, other: str | None) -> bool:
    """Whether an ISO date (or date and time) is earlier than another; unknown dates never are."""
    if not published or not _ISO_DATE.match(published):
        return False
    return not other or not _ISO_DATE.match(other) or published < other

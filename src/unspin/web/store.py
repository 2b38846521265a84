"""What the web app remembers: every suspect it checked, and what it matched.

The core index only knows originals. To answer "which copies of this story
are known" and "which sites copy which sources", the web app keeps its own
tables (``web_checks``, ``web_check_matches``) in the same SQLite file, as
the ``web`` namespace of :mod:`unspin.storage`, with a schema version of
their own: the core tables are left untouched (archived documents are read
through :class:`unspin.Index`), and WAL mode lets this connection write
while the index is being read or added to.

A stored check keeps the suspect's text and its result object
(:mod:`unspin.schema`, which says its schema version), so its report can be
rebuilt later from the archived sources. Checks stored by versions before the
``result`` column kept compact matches in ``matches`` instead; they are still
read, as results of schema 1.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from unspin.model import COPY_VERDICTS, UNKNOWN_SITE, CheckResult, Document, site_of
from unspin.schema import DECIMALS, check_result_from_dict, to_line
from unspin.storage import Schema, connect

_TABLES = (
    """CREATE TABLE IF NOT EXISTS web_checks (
        id INTEGER PRIMARY KEY,
        checked_at TEXT NOT NULL,
        suspect_id TEXT NOT NULL,
        url TEXT, title TEXT, site TEXT, published TEXT,
        verdict TEXT NOT NULL,
        text TEXT NOT NULL,
        matches TEXT NOT NULL,  -- '[]' since the result column holds everything
        result TEXT,
        client TEXT,  -- who asked (the client's address), for the per-client limit
        size INTEGER NOT NULL DEFAULT 0  -- characters of text and result stored
    )""",
    """CREATE TABLE IF NOT EXISTS web_check_matches (
        check_id INTEGER NOT NULL REFERENCES web_checks(id),
        source_id TEXT NOT NULL,
        source_site TEXT,
        verdict TEXT NOT NULL,
        score REAL NOT NULL,
        coverage REAL NOT NULL,
        spin_rate REAL NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS web_check_matches_source ON web_check_matches (source_id)",
)
_LIMIT_INDEXES = (
    "CREATE INDEX IF NOT EXISTS web_check_matches_check ON web_check_matches (check_id)",
    "CREATE INDEX IF NOT EXISTS web_checks_client ON web_checks (client, id)",
)
_LEGACY_EDIT_KEYS = (
    "type",
    "copy_start",
    "copy_end",
    "source_start",
    "source_end",
    "copy_words",
    "source_words",
)
"""The fields of an edit as the ``matches`` column of old checks lists them."""
_LARGEST_ID = 2**63 - 1
"""SQLite's largest integer: the largest check id there can be."""
_SPIN_BINS = 10
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _create(db: sqlite3.Connection) -> None:
    """The web tables, or what is missing of them: unversioned tables were made by
    versions that kept compact matches, with no ``result`` column."""
    for statement in _TABLES:
        db.execute(statement)
    columns = {row[1] for row in db.execute("PRAGMA table_info(web_checks)")}
    if "result" not in columns:
        db.execute("ALTER TABLE web_checks ADD COLUMN result TEXT")
    _add_limit_columns(db)


def _add_limit_columns(db: sqlite3.Connection) -> None:
    """Version 2: who asked for each check and how much it stores, for the limits."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(web_checks)")}
    if "client" not in columns:
        db.execute("ALTER TABLE web_checks ADD COLUMN client TEXT")
    if "size" not in columns:
        db.execute("ALTER TABLE web_checks ADD COLUMN size INTEGER NOT NULL DEFAULT 0")
        db.execute("UPDATE web_checks SET size = length(text) + length(coalesce(result, matches))")
    for statement in _LIMIT_INDEXES:
        db.execute(statement)


WEB = Schema("web", 2, _create, upgrades={1: _add_limit_columns})


@dataclass(frozen=True, slots=True)
class StoreLimits:
    """How much the web app keeps of the checks anonymous users ask for.

    Each new check pushes out what is over a limit, oldest first: checks
    older than ``days``, a client's checks beyond its newest ``per_client``,
    and the oldest checks beyond ``total`` or beyond ``total_mb`` of stored text
    and results. So what strangers can make the server store is bounded, and
    the site pages, which read every stored check, stay fast.
    """

    days: float = 30.0
    per_client: int = 200
    total: int = 20_000
    total_mb: float = 1000.0


@dataclass(frozen=True, slots=True)
class StoredCheck:
    """A check as the web app recorded it."""

    id: int
    checked_at: str
    suspect: Document
    verdict: str
    result: dict[str, Any]
    """The result object (for checks stored by older versions, only what they kept)."""

    @property
    def source_ids(self) -> list[str]:
        return [m["source_id"] for m in self.result.get("matches", [])]

    def check_result(self, sources: dict[str, Document]) -> CheckResult:
        """The CheckResult of this check, against the sources still in the index.

        Raises :class:`unspin.schema.SchemaError` for a check stored by a newer unspin.
        """
        return check_result_from_dict(self.result, self.suspect, sources)


@dataclass(frozen=True, slots=True)
class KnownCopy:
    """A checked suspect that copied a given source."""

    check_id: int
    checked_at: str
    suspect_id: str
    title: str | None
    url: str | None
    site: str | None
    published: str | None
    verdict: str
    coverage: float
    spin_rate: float


class CheckStore:
    """The web app's tables in the index file; safe to share between threads."""

    def __init__(self, path: str | Path, limits: StoreLimits | None = None) -> None:
        self._database = connect(path, "read-write", schemas=[WEB])
        self.limits = limits or StoreLimits()

    def close(self) -> None:
        self._database.close()

    def record(self, result: CheckResult, client: str | None = None) -> int:
        """Store a check and its matches; returns the check's id.

        Checks over the limits (:class:`StoreLimits`) are removed in the same transaction.
        """
        query = result.query
        now = datetime.now(UTC)
        line = to_line(result)
        with self._database.transaction() as db:
            cursor = db.execute(
                "INSERT INTO web_checks (checked_at, suspect_id, url, title, site, published,"
                " verdict, text, matches, result, client, size)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, ?, ?)",
                (
                    now.isoformat(timespec="seconds"),
                    query.id,
                    query.url,
                    query.title,
                    site_of(query),
                    query.published,
                    result.verdict,
                    query.text,
                    line,
                    client,
                    len(query.text) + len(line),
                ),
            )
            check_id = int(cursor.lastrowid or 0)
            db.executemany(
                "INSERT INTO web_check_matches VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        check_id,
                        m.source_id,
                        site_of(m.source),
                        m.verdict,
                        round(m.score, DECIMALS),
                        round(m.coverage, DECIMALS),
                        round(m.spin_rate, DECIMALS),
                    )
                    for m in result.matches
                ],
            )
            self._prune(db, now, client)
        return check_id

    def _prune(self, db: sqlite3.Connection, now: datetime, client: str | None) -> None:
        """Remove the checks over the limits, oldest first."""
        limits = self.limits
        expired = (now - timedelta(days=limits.days)).isoformat(timespec="seconds")
        doomed = "SELECT id FROM web_checks WHERE checked_at < ?"
        self._remove(db, doomed, (expired,))
        if client is not None:
            doomed = "SELECT id FROM web_checks WHERE client = ? ORDER BY id DESC LIMIT -1 OFFSET ?"
            self._remove(db, doomed, (client, limits.per_client))
        doomed = "SELECT id FROM web_checks ORDER BY id DESC LIMIT -1 OFFSET ?"
        self._remove(db, doomed, (limits.total,))
        doomed = (
            "SELECT id FROM (SELECT id, SUM(size) OVER (ORDER BY id DESC) AS kept"
            " FROM web_checks) WHERE kept > ?"
        )
        self._remove(db, doomed, (int(limits.total_mb * 1_000_000),))

    @staticmethod
    def _remove(db: sqlite3.Connection, doomed: str, parameters: tuple[object, ...]) -> None:
        db.execute(f"DELETE FROM web_check_matches WHERE check_id IN ({doomed})", parameters)
        db.execute(f"DELETE FROM web_checks WHERE id IN ({doomed})", parameters)

    def __len__(self) -> int:
        row = self._database.query_one("SELECT COUNT(*) FROM web_checks")
        return int(row[0]) if row else 0

    def get(self, check_id: int) -> StoredCheck | None:
        if not 0 < check_id <= _LARGEST_ID:
            return None  # no such check, and SQLite could not even be asked
        row = self._database.query_one(
            "SELECT id, checked_at, suspect_id, text, url, title, site, published, verdict,"
            " matches, result FROM web_checks WHERE id = ?",
            (check_id,),
        )
        if row is None:
            return None
        suspect = Document(*row[2:8])
        stored = json.loads(row[10]) if row[10] is not None else _legacy_result(row[9])
        return StoredCheck(row[0], row[1], suspect, row[8], stored)

    def copies_of(self, source_id: str) -> list[KnownCopy]:
        """Checked suspects that reused this source, newest first."""
        placeholders = ",".join("?" * len(COPY_VERDICTS))
        rows = self._database.query(
            "SELECT c.id, c.checked_at, c.suspect_id, c.title, c.url, c.site, c.published,"
            " m.verdict, m.coverage, m.spin_rate FROM web_check_matches m"
            " JOIN web_checks c ON c.id = m.check_id"
            f" WHERE m.source_id = ? AND m.verdict IN ({placeholders})"
            " ORDER BY c.id DESC",
            (source_id, *sorted(COPY_VERDICTS)),
        )
        return [KnownCopy(*row) for row in rows]

    def sites(self) -> dict[str, Any]:
        """Which sites copy which sources, the spin-rate distribution and a timeline."""
        placeholders = ",".join("?" * len(COPY_VERDICTS))
        rows = self._database.query(
            "SELECT c.site, m.source_site, m.source_id, m.spin_rate, c.published, c.checked_at"
            " FROM web_check_matches m JOIN web_checks c ON c.id = m.check_id"
            f" WHERE m.verdict IN ({placeholders})",
            tuple(sorted(COPY_VERDICTS)),
        )
        pairs: dict[tuple[str, str], list[float]] = {}
        copied: dict[tuple[str, str], dict[str, int]] = {}
        histogram = [0] * _SPIN_BINS
        timeline: dict[str, int] = {}
        for site, source_site, source_id, spin_rate, published, checked_at in rows:
            key = (site or UNKNOWN_SITE, source_site or UNKNOWN_SITE)
            pairs.setdefault(key, []).append(spin_rate)
            documents = copied.setdefault(key, {})
            documents[source_id] = documents.get(source_id, 0) + 1
            histogram[min(int(spin_rate * _SPIN_BINS), _SPIN_BINS - 1)] += 1
            dated = _DATE.match(published or "")
            day = dated.group() if dated else checked_at[:10]
            timeline[day] = timeline.get(day, 0) + 1
        sites: dict[str, list[dict[str, Any]]] = {}
        for (site, source_site), rates in sorted(pairs.items()):
            sites.setdefault(site, []).append(
                {
                    "source_site": source_site,
                    "copies": len(rates),
                    "mean_spin_rate": sum(rates) / len(rates),
                    "documents": [
                        {"source_id": source_id, "copies": n}
                        for source_id, n in sorted(
                            copied[site, source_site].items(), key=lambda kv: (-kv[1], kv[0])
                        )
                    ],
                }
            )
        return {
            "sites": [
                {"site": site, "copies": sum(s["copies"] for s in sources), "sources": sources}
                for site, sources in sorted(
                    sites.items(), key=lambda kv: -sum(s["copies"] for s in kv[1])
                )
            ],
            "spin_rate_histogram": [
                {"from": i / _SPIN_BINS, "to": (i + 1) / _SPIN_BINS, "copies": n}
                for i, n in enumerate(histogram)
            ],
            "timeline": [{"date": day, "copies": n} for day, n in sorted(timeline.items())],
        }


def _legacy_result(matches: str) -> dict[str, Any]:
    """The result object (schema 1) of a check stored as compact matches, edits as lists."""
    converted = []
    for match in json.loads(matches):
        edits = [dict(zip(_LEGACY_EDIT_KEYS, edit, strict=True)) for edit in match["edits"]]
        converted.append({**match, "edits": edits})
    return {"matches": converted}

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
from datetime import UTC, datetime
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
        result TEXT
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


WEB = Schema("web", 1, _create)


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

    def __init__(self, path: str | Path) -> None:
        self._database = connect(path, "read-write", schemas=[WEB])

    def close(self) -> None:
        self._database.close()

    def record(self, result: CheckResult) -> int:
        """Store a check and its matches; returns the check's id."""
        query = result.query
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._database.transaction() as db:
            cursor = db.execute(
                "INSERT INTO web_checks (checked_at, suspect_id, url, title, site, published,"
                " verdict, text, matches, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '[]', ?)",
                (
                    now,
                    query.id,
                    query.url,
                    query.title,
                    site_of(query),
                    query.published,
                    result.verdict,
                    query.text,
                    to_line(result),
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
        return check_id

    def get(self, check_id: int) -> StoredCheck | None:
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

"""The scan ledger: what a scan has done so far, in a SQLite file next to its output.

Why a ledger rather than appending to the output: a scan of millions of
pages runs for hours and gets killed (OOM killer, a reboot, ``kill -9``).
Each batch of results goes into the ledger in one transaction, together with
the bad records met on the way, so a killed scan leaves whole batches or
nothing; a rerun reads which ids are done and checks only the rest. The
output file (JSON lines or Parquet, which cannot be appended to) is written
from the ledger at the end, through a temporary file and a rename, so it is
never half-written either.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from unspin.errors import UnspinError
from unspin.io import BadRecord, atomic_write
from unspin.model import COPY_VERDICTS, VERDICT_ORDER
from unspin.storage import Schema, connect

_TABLES = (
    """CREATE TABLE IF NOT EXISTS results (
        id TEXT PRIMARY KEY,
        position INTEGER NOT NULL,
        site TEXT NOT NULL,
        verdict TEXT NOT NULL,
        best_source TEXT,
        score REAL NOT NULL,
        result TEXT NOT NULL
    )""",
    "CREATE TABLE IF NOT EXISTS bad_records (place TEXT PRIMARY KEY, reason TEXT NOT NULL)",
)
_EXPORT_CHUNK = 10_000


def _create(db: sqlite3.Connection) -> None:
    # IF NOT EXISTS: ledgers of versions before schema versions have these tables unversioned.
    for statement in _TABLES:
        db.execute(statement)


LEDGER = Schema("scan", 1, _create, too_old="delete it")


@dataclass(frozen=True, slots=True)
class ScanRow:
    """The outcome of checking one crawled document.

    ``result`` is the result object as one line (:func:`unspin.schema.to_line`); the
    other fields repeat what summaries and Parquet columns need.
    """

    position: int
    id: str
    site: str
    verdict: str
    best_source: str | None
    score: float
    result: str


@dataclass(slots=True)
class ScanSummary:
    """Counts over everything a scan has done, resumed runs included."""

    verdicts: dict[str, int] = field(default_factory=dict)
    copying_sites: list[tuple[str, int]] = field(default_factory=list)
    """Sites with the most copies (verbatim, spun or partial), most first."""
    bad_records: int = 0

    @property
    def checked(self) -> int:
        return sum(self.verdicts.values())


def ledger_path(output: Path) -> Path:
    """Where the ledger of a scan writing ``output`` lives."""
    return output.with_name(output.name + ".ledger")


class ScanLedger:
    """The done ids and results of one scan, committed batch by batch."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._database = connect(
            path, "create", schemas=[LEDGER], what="scan ledger", remedy="delete it"
        )

    def __enter__(self) -> ScanLedger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._database.close()

    def claim(self, index: str, index_id: str) -> None:
        """Tie the ledger to the index it checks against; refuse results of another index.

        The index's identity is checked as well as its path: a scan resumed against
        an index rebuilt at the same path would mix the answers of two indexes.
        """
        stored = dict(self._database.query("SELECT key, value FROM meta"))
        if stored.get("index", index) != index:
            raise UnspinError(
                f"{self.path}: holds a scan against {stored['index']}, not {index}; "
                "choose another --out or delete that file"
            )
        if stored.get("index_id", index_id) != index_id:
            raise UnspinError(
                f"{self.path}: holds a scan against an earlier index at {index} "
                f"(id {stored['index_id']}, now {index_id}); "
                "choose another --out or delete that file"
            )
        # A ledger begun before indexes had ids gets the id of the index it resumes against.
        with self._database.transaction() as db:
            db.executemany(
                "INSERT OR IGNORE INTO meta VALUES (?, ?)",
                [("index", index), ("index_id", index_id)],
            )

    def done_ids(self) -> set[str]:
        """Ids of every document already checked."""
        return {row[0] for row in self._database.query("SELECT id FROM results")}

    def commit(self, rows: Iterable[ScanRow], bad: Iterable[BadRecord] = ()) -> None:
        """Record a batch of results and bad records, all or nothing."""
        with self._database.transaction() as db:
            db.executemany(
                "INSERT OR IGNORE INTO results VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    (r.id, r.position, r.site, r.verdict, r.best_source, r.score, r.result)
                    for r in rows
                ),
            )
            db.executemany(
                "INSERT OR IGNORE INTO bad_records VALUES (?, ?)",
                ((b.where, b.reason) for b in bad),
            )

    def summary(self, *, top_sites: int = 10) -> ScanSummary:
        verdicts = dict(
            self._database.query("SELECT verdict, COUNT(*) FROM results GROUP BY verdict")
        )
        ordered: dict[str, int] = {v: int(verdicts[v]) for v in VERDICT_ORDER if v in verdicts}
        marks = ",".join("?" * len(COPY_VERDICTS))
        sites = Counter(
            dict(
                self._database.query(
                    f"SELECT site, COUNT(*) FROM results WHERE verdict IN ({marks}) GROUP BY site",
                    sorted(COPY_VERDICTS),
                )
            )
        )
        top = sorted(sites.items(), key=lambda item: (-item[1], item[0]))[:top_sites]
        bad = int(self._database.query("SELECT COUNT(*) FROM bad_records")[0][0])
        return ScanSummary(ordered, top, bad)

    def bad_records(self) -> list[BadRecord]:
        rows = self._database.query("SELECT place, reason FROM bad_records ORDER BY place")
        return [BadRecord(place, reason) for place, reason in rows]

    def results(self) -> Iterator[ScanRow]:
        """Every result in input order."""
        with self._database.reading() as db:
            cursor = db.execute(
                "SELECT position, id, site, verdict, best_source, score, result "
                "FROM results ORDER BY position, id"
            )
            while chunk := cursor.fetchmany(_EXPORT_CHUNK):
                for row in chunk:
                    yield ScanRow(*row)

    def export(self, output: Path) -> int:
        """Write every result to ``output`` (``.parquet`` or JSON lines); returns the row count."""
        write = _write_parquet if output.suffix.lower() == ".parquet" else _write_jsonl
        with atomic_write(output) as temporary:
            return write(self.results(), temporary)


def _write_jsonl(rows: Iterator[ScanRow], path: Path) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as file:
        for row in rows:
            file.write(row.result + "\n")
            count += 1
    return count


_QUERY_COLUMNS = ("id", "chars", "url", "title", "site", "published")
_JSON_COLUMNS = ("matches", "unspin")
"""Nested parts of a result, kept in Parquet as JSON text; every row carries its
provenance as a JSONL line does."""


def _parquet_schema() -> Any:
    import pyarrow as pa

    text = pa.string()
    return pa.schema(
        [
            ("schema", pa.int64()),
            *[(name, pa.int64() if name == "chars" else text) for name in _QUERY_COLUMNS],
            ("verdict", text),
            ("best_source", text),
            ("score", pa.float64()),
            ("language", text),
            ("unsupported_language", pa.bool_()),
            *[(name, text) for name in _JSON_COLUMNS],
        ]
    )


def _write_parquet(rows: Iterator[ScanRow], path: Path) -> int:
    """Every result as a row of flat columns (:func:`_parquet_row`)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _parquet_schema()
    count = 0
    with pq.ParquetWriter(path, schema) as writer:
        chunk: list[dict[str, Any]] = []
        for row in rows:
            chunk.append(_parquet_row(row))
            if len(chunk) >= _EXPORT_CHUNK:
                writer.write_table(pa.Table.from_pylist(chunk, schema))
                count += len(chunk)
                chunk = []
        if chunk or count == 0:
            writer.write_table(pa.Table.from_pylist(chunk, schema))
            count += len(chunk)
    return count


def _parquet_row(row: ScanRow) -> dict[str, Any]:
    """A result object as flat columns; rows of a scan begun by an older unspin lack some keys."""
    result = json.loads(row.result)
    query, matches = result["query"], result["matches"]
    return {
        "schema": result.get("schema", 1),
        **{name: query.get(name) for name in _QUERY_COLUMNS},
        "verdict": row.verdict,
        "best_source": row.best_source,
        "score": matches[0]["score"] if matches else 0.0,
        "language": result.get("language"),
        "unsupported_language": result.get("unsupported_language", False),
        **{
            name: None if result.get(name) is None else json.dumps(result[name], ensure_ascii=False)
            for name in _JSON_COLUMNS
        },
    }


def parquet_row_to_json(row: dict[str, Any]) -> dict[str, Any]:
    """A Parquet output row back as the result object (:mod:`unspin.schema`)."""
    nested = {
        name: None if row.get(name) is None else json.loads(row[name]) for name in _JSON_COLUMNS
    }
    return {
        "schema": row["schema"],
        "query": {name: row.get(name) for name in _QUERY_COLUMNS},
        "verdict": row["verdict"],
        "language": row.get("language"),
        "unsupported_language": bool(row.get("unsupported_language")),
        "matches": nested["matches"] or [],
        "unspin": nested["unspin"],
    }

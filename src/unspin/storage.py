"""The gateway to unspin's SQLite files: how they are opened, written and versioned.

The archive index is one SQLite file shared by the core (documents and
postings), the web app (the checks it stored) and sourceless detection (the
spinner dictionary). Each of them is a *namespace*: it owns its tables and
keeps its schema version in the shared ``meta`` table, under
``schema.<namespace>``, so each upgrades its own tables without knowing
about the others'. Every connection is opened here, with the same settings
(WAL, so readers keep working while one writer adds), and every write goes
through :meth:`Database.transaction`.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from unspin.errors import UnspinError

Mode = Literal["read-only", "read-write", "create"]
"""``read-only`` and ``read-write`` need the file to exist; ``create`` makes it when missing.

A ``read-only`` connection never writes, so it works on a file or folder it may
not write to (shared storage, a Spark executor's copy); when it may not, the
file is opened as immutable: nobody can be writing it either.
"""

Step = Callable[[sqlite3.Connection], None]

_PRAGMAS = (
    # Both only take effect on a new file, before its first table.
    "PRAGMA page_size=16384",
    "PRAGMA auto_vacuum=INCREMENTAL",
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA cache_size=-262144",
    "PRAGMA busy_timeout=30000",
    # A merge of postings grows the WAL to the size of the run it writes;
    # afterwards the file shrinks back to this.
    "PRAGMA journal_size_limit=67108864",
)
_READ_ONLY_PRAGMAS: tuple[str, ...] = ("PRAGMA cache_size=-262144", "PRAGMA busy_timeout=30000")


@dataclass(frozen=True, slots=True)
class Schema:
    """The tables of one namespace, and how to bring older ones up to date.

    ``create`` makes the tables of ``version`` in a file that has none;
    ``upgrades[v]`` turns tables of version ``v`` into version ``v + 1``.
    A file older than the oldest upgrade cannot be used: ``too_old`` says
    what to do about it.
    """

    namespace: str
    version: int
    create: Step
    upgrades: Mapping[int, Step] = field(default_factory=dict)
    too_old: str = "rebuild it"
    legacy_key: str | None = None
    """The meta key that held this namespace's version before namespaces existed."""


class Database:
    """One connection to an unspin SQLite file; safe to share between threads.

    A lock serializes use of the connection; several processes may read
    while one writes.
    """

    def __init__(self, path: Path, mode: Mode, connection: sqlite3.Connection) -> None:
        self.path = path
        self.mode = mode
        self._db = connection
        self._lock = threading.RLock()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` (a plain ``BEGIN`` to read) ... ``COMMIT``, or ``ROLLBACK`` on error.

        Holds the lock throughout. Inside another transaction it joins that one.
        """
        with self._lock, self._explained():
            if self._db.in_transaction:
                yield self._db
                return
            self._db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield self._db
            except BaseException:
                self._rollback()
                raise
            try:
                self._db.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise

    def _rollback(self) -> None:
        if self._db.in_transaction:  # SQLite may have rolled back already (a full disk)
            self._db.execute("ROLLBACK")

    @contextmanager
    def _explained(self) -> Iterator[None]:
        """A damaged or unwritable file becomes one line naming it, not a traceback."""
        try:
            yield
        except sqlite3.DatabaseError as error:
            reason = _problem(error)
            if reason is None:
                raise
            raise UnspinError(f"{self.path}: {reason}") from None

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """The connection, for statements that each stand alone (each its own snapshot)."""
        with self._lock, self._explained():
            yield self._db

    def query(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock, self._explained():
            return self._db.execute(sql, parameters).fetchall()

    def query_one(self, sql: str, parameters: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        with self._lock, self._explained():
            row: tuple[Any, ...] | None = self._db.execute(sql, parameters).fetchone()
            return row

    # --- meta -------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self.query_one("SELECT value FROM meta WHERE key = ?", (key,))
        return None if row is None else str(row[0])

    def version(self, schema: Schema) -> int | None:
        """The stored version of ``schema``'s namespace, or None when it has no tables here."""
        stored = self.meta(f"schema.{schema.namespace}")
        if stored is None and schema.legacy_key is not None:
            stored = self.meta(schema.legacy_key)
        return None if stored is None else int(stored)

    def install(self, schema: Schema) -> bool:
        """Make or upgrade the namespace's tables; False when it has none and may not make them.

        Runs in one write transaction, so a crash leaves the old version or the
        new one. A read-only connection never writes: it refuses tables of
        another version.
        """
        stored = self.version(schema)
        if stored == schema.version:
            return True
        if stored is not None and stored > schema.version:
            raise UnspinError(
                f"{self.path}: its {schema.namespace} tables were written by a newer unspin "
                f"(version {stored}; this one reads {schema.version}); upgrade unspin"
            )
        if stored is not None and any(
            v not in schema.upgrades for v in range(stored, schema.version)
        ):
            raise UnspinError(
                f"{self.path}: built by another version of unspin (schema {stored} of its "
                f"{schema.namespace} tables, this version needs {schema.version}); {schema.too_old}"
            )
        if self.mode == "read-only":
            if stored is None:
                return False
            raise UnspinError(
                f"{self.path}: its {schema.namespace} tables need an upgrade (version {stored} "
                f"to {schema.version}); open it once for writing, e.g. with 'unspin index'"
            )
        with self.transaction() as db:
            stored = self.version(schema)  # another process may have been quicker
            if stored is None:
                schema.create(db)
            else:
                for step in range(stored, schema.version):
                    schema.upgrades[step](db)
            if schema.legacy_key is not None:
                db.execute("DELETE FROM meta WHERE key = ?", (schema.legacy_key,))
            db.execute(
                "INSERT OR REPLACE INTO meta VALUES (?, ?)",
                (f"schema.{schema.namespace}", str(schema.version)),
            )
        return True

    def vacuum(self) -> None:
        """Give freed pages back to the file system."""
        with self._lock:
            if self._db.execute("PRAGMA freelist_count").fetchone()[0]:
                # executescript steps the pragma to the end; execute() would free one page.
                self._db.executescript("PRAGMA incremental_vacuum")


def _problem(error: sqlite3.DatabaseError) -> str | None:
    """What a SQLite error says about the file, for its one-line message; None for a bug."""
    message = str(error)
    if type(error) is sqlite3.DatabaseError or "malformed" in message:
        return f"damaged ({message}); rebuild it, or restore it from a copy"
    if "readonly" in message:
        return f"cannot be written ({message}); use a copy you may write to"
    if "disk is full" in message or "disk I/O" in message:
        return message
    return None


def _foreign_tables(connection: sqlite3.Connection) -> list[str]:
    """The tables of a file that is not unspin's, without writing to it; [] for unspin's own.

    unspin's files keep their namespaces' versions in ``meta`` (see :class:`Schema`); a
    new file has no tables, or an empty ``meta`` when its first schema was never installed.
    """
    tables = sorted(
        name
        for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not name.startswith("sqlite_")
    )
    if not tables or (
        tables == ["meta"] and not connection.execute("SELECT 1 FROM meta").fetchone()
    ):
        return []
    if (
        "meta" in tables
        and connection.execute(
            "SELECT 1 FROM meta WHERE key = 'schema' OR key LIKE 'schema.%'"
        ).fetchone()
    ):
        return []
    return tables


def _read_only_uri(path: Path) -> str:
    """``mode=ro``; ``immutable=1`` where we may not write the file or its folder, as SQLite
    then cannot make the lock files that ``mode=ro`` still needs."""
    writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    return f"{path.resolve().as_uri()}?{'mode=ro' if writable else 'immutable=1'}"


def connect(
    path: str | Path,
    mode: Mode = "read-write",
    *,
    schemas: Sequence[Schema] = (),
    what: str = "index",
    remedy: str = "",
) -> Database:
    """Open an unspin SQLite file (``what``: an index, a scan ledger) with the shared settings.

    ``schemas`` are installed (see :meth:`Database.install`) before it is
    handed out. Problems with the file become one-line :class:`UnspinError`
    messages; ``remedy`` is added to the one for a file that is not SQLite.
    """
    path = Path(path)
    if mode != "create" and not path.exists():
        raise UnspinError(f"{path}: no such {what} (create it with 'unspin index')")
    if path.is_dir():
        raise UnspinError(f"{path}: is a folder, not an {what} file")
    try:
        if mode == "read-only" or path.exists():
            # Look before writing anything: even the journal mode is written to the file.
            connection = sqlite3.connect(
                _read_only_uri(path), uri=True, check_same_thread=False, isolation_level=None
            )
            foreign = _foreign_tables(connection)
            if foreign:
                connection.close()
                shown = ", ".join(foreign[:5]) + (", ..." if len(foreign) > 5 else "")
                raise UnspinError(
                    f"{path}: not an unspin {what}: it holds another program's tables "
                    f"({shown}); unspin leaves it alone, give another file"
                )
            if mode != "read-only":
                connection.close()
        if mode == "read-only":
            pragmas = _READ_ONLY_PRAGMAS
        else:
            connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            pragmas = _PRAGMAS
        for pragma in pragmas:
            connection.execute(pragma)
        if mode != "read-only":
            connection.execute(
                "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
            )
        connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as error:
        advice = f"; {remedy}" if remedy else ""
        raise UnspinError(f"{path}: not a usable unspin {what} ({error}){advice}") from None
    except OSError as error:  # the folder of a new file cannot be written, or is missing
        raise UnspinError(f"{path}: cannot open it ({error.strerror or error})") from None
    database = Database(path, mode, connection)
    try:
        for schema in schemas:
            database.install(schema)
    except BaseException:
        database.close()
        raise
    return database

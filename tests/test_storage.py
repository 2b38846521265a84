"""The gateway to the archive file: namespaces with their own schema versions, upgrades,
transactions, full-text search, and no ring reaching into the core's tables."""

from __future__ import annotations

import random
import re
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from unspin import Document, Index
from unspin.detect.dictionary import SpinnerDictionary
from unspin.errors import UnspinError
from unspin.index import SCHEMA_VERSION
from unspin.storage import Schema, connect
from unspin.web.store import CheckStore

from .test_index import consistent, make_documents

SRC = Path(__file__).resolve().parent.parent / "src" / "unspin"


def meta(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as db:
        return dict(db.execute("SELECT key, value FROM meta").fetchall())


def test_each_namespace_keeps_its_schema_version_in_meta(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    with Index(path) as index:
        index.add(make_documents(5), workers=1)
    CheckStore(path).close()
    SpinnerDictionary().save_counts(path, [("farm.example", "presented", "showed", 2)])
    stored = meta(path)
    assert stored["schema.core"] == str(SCHEMA_VERSION)
    assert stored["schema.web"] == "2" and stored["schema.detect"] == "1"
    assert "schema" not in stored  # the key of versions before namespaces
    assert SpinnerDictionary.load(path).lookup("presented", "farm.example") is not None


def test_reading_the_dictionary_of_an_index_without_one_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    Index(path).close()
    before = meta(path)
    assert len(SpinnerDictionary.load(path)) == 0
    assert meta(path) == before
    with sqlite3.connect(path) as db:
        assert not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'spinner_swaps'").fetchone()


def test_tables_of_a_newer_version_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    Index(path).close()
    CheckStore(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'schema.web'")
    with pytest.raises(UnspinError, match=r"web tables were written by a newer unspin"):
        CheckStore(path)
    Index(path, create=False).close()  # the core is not concerned


def test_a_namespace_upgrades_step_by_step_in_one_transaction(tmp_path: Path) -> None:
    path = tmp_path / "a.db"

    def create(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE notes (text TEXT)")

    def add_author(db: sqlite3.Connection) -> None:
        db.execute("ALTER TABLE notes ADD COLUMN author TEXT")

    def fail(db: sqlite3.Connection) -> None:
        raise RuntimeError("upgrade failed half way")

    with connect(path, "create") as database:
        assert database.install(Schema("notes", 1, create))
        with database.transaction() as db:
            db.execute("INSERT INTO notes VALUES ('kept')")
    with connect(path) as database, pytest.raises(RuntimeError):
        database.install(Schema("notes", 3, create, upgrades={1: add_author, 2: fail}))
    # The failed upgrade left version 1 whole: no column, no version 2.
    assert meta(path)["schema.notes"] == "1"
    with connect(path) as database:
        assert [r[1] for r in database.query("PRAGMA table_info(notes)")] == ["text"]
        database.install(Schema("notes", 2, create, upgrades={1: add_author}))
        assert database.query("SELECT text, author FROM notes") == [("kept", None)]
    with connect(path) as database, pytest.raises(UnspinError, match="schema 2 of its notes"):
        database.install(Schema("notes", 4, create, upgrades={3: add_author}))


def test_transactions_roll_back_and_read_only_connections_never_write(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    with connect(path, "create") as database:
        database.install(Schema("t", 1, lambda db: db.execute("CREATE TABLE t (x INTEGER)")))
        with pytest.raises(ZeroDivisionError), database.transaction() as db:
            db.execute("INSERT INTO t VALUES (1)")
            _ = 1 / 0
        assert database.query("SELECT COUNT(*) FROM t") == [(0,)]
    with connect(path, "read-only") as database:
        with pytest.raises(UnspinError, match="cannot be written"):
            database.query("INSERT INTO t VALUES (2)")
        assert not database.install(Schema("absent", 1, lambda db: None))
    with pytest.raises(UnspinError, match="no such index"):
        connect(tmp_path / "missing.db", "read-only")


def downgrade_to_schema_4(path: Path) -> None:
    """What an index of schema 4 looked like: no full-text table, the version under 'schema'."""
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE documents_fts")
        db.execute("DELETE FROM meta WHERE key = 'schema.core'")
        db.execute("INSERT INTO meta VALUES ('schema', '4')")


def test_an_index_of_schema_4_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    docs = make_documents(300, seed=4)
    docs[123] = Document("story-123", "Zürich: " + docs[123].text)
    with Index(path) as index:
        index.add(docs, workers=1)
        identity = index.id
    downgrade_to_schema_4(path)
    with Index(path, create=False) as index:
        assert [d.id for d in index.search("zurich harbour")] == ["story-123"]
        assert index.id == identity and len(index) == 300
        later = make_documents(1, seed=9)[0]
        index.add([Document("after", "Zurich harbour: " + later.text)], workers=1)
        assert [d.id for d in index.search("zurich harbour")] == ["story-123", "after"]
    stored = meta(path)
    assert stored["schema.core"] == str(SCHEMA_VERSION) and "schema" not in stored
    assert consistent(path) == 301


def vocabulary(rng: random.Random, size: int) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randrange(3, 10))) for _ in range(size)]


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The shortest of ``runs`` timings of ``work``, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def test_search_finds_a_word_in_a_20k_document_index_without_reading_every_text(
    tmp_path: Path,
) -> None:
    rng = random.Random(5)
    words = vocabulary(rng, 3000)
    docs = [
        Document(f"doc-{i}", " ".join(rng.choice(words) for _ in range(60)) + ".")
        for i in range(20_000)
    ]
    docs[17_345] = Document("needle", docs[17_345].text + " Quetzalcoatlus sighted.", site="x.org")
    path = tmp_path / "big.db"
    with Index(path) as index:
        index.add(docs, batch_size=2000, workers=2)

        found = index.search("quetzalcoatlus")
        assert [d.id for d in found] == ["needle"]
        indexed = best_of(5, lambda: index.search("quetzalcoatlus"))
    with sqlite3.connect(path) as db:
        scan = best_of(
            3,
            lambda: db.execute(
                "SELECT id FROM documents WHERE instr(lower(text), 'quetzalcoatlus') > 0"
            ).fetchall(),
        )
    # A lookup in the full-text index, not a pass over 20k texts.
    assert indexed < scan / 10, (indexed, scan)


def test_index_hands_out_documents_in_batches_by_id_and_by_site(tmp_path: Path) -> None:
    docs = [
        Document(
            f"d{i}", f"Story number {i} about the harbour.", site=("a.org" if i % 3 else "b.org")
        )
        for i in range(25)
    ]
    with Index(tmp_path / "a.db") as index:
        index.add(docs, workers=1)
        assert list(index.iter_documents(batch_size=7)) == docs
        assert index.documents(["d3", "nope", "d24", "d3"]) == {"d3": docs[3], "d24": docs[24]}
        assert index.sites() == {"a.org": 16, "b.org": 9}
        assert [d.id for d in index.search("d7")] == ["d7"]  # an id comes first
        assert len(index.search("harbour", limit=10)) == 10


CORE_TABLES = (
    r"\b(FROM|JOIN|INTO|UPDATE|TABLE)\s+"
    r"(documents|documents_fts|editions|postings\w*|runs|common)\b"
)


def test_no_ring_runs_sql_on_core_tables_or_sees_a_rowid() -> None:
    offenders = []
    for ring in ("web", "scan", "detect"):
        for module in sorted((SRC / ring).rglob("*.py")):
            text = module.read_text(encoding="utf-8")
            for pattern in (CORE_TABLES, r"\browid\b", r"\bArchiveIndex\b", r"\.archive\b"):
                offenders += [f"{module.name}: {m.group()}" for m in re.finditer(pattern, text)]
    assert offenders == []


def test_every_connection_to_an_archive_file_goes_through_the_gateway() -> None:
    # The lexicon cache is a file of its own, built once and opened immutable.
    allowed = {SRC / "storage.py", SRC / "lexicon" / "lexicon.py", SRC / "lexicon" / "build.py"}
    opened = [
        str(module.relative_to(SRC))
        for module in SRC.rglob("*.py")
        if module not in allowed and "sqlite3.connect(" in module.read_text(encoding="utf-8")
    ]
    assert opened == []
    handwritten = [
        str(module.relative_to(SRC))
        for module in SRC.rglob("*.py")
        if module != SRC / "storage.py"
        and re.search(r"\b(BEGIN|COMMIT)\b", module.read_text(encoding="utf-8"))
    ]
    assert handwritten == []

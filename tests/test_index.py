"""The SQLite index: incremental, crash-safe, and clear about files it cannot use."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from unspin.errors import UnspinError
from unspin.index import ArchiveIndex
from unspin.model import Document

WORDS = (
    "council harbour bridge vote mayor repair budget storm river school market price "
    "court judge trial festival museum rail station strike union energy grid"
).split()
FUNCTION = "the of in on to and a for with by at from that".split()


def random_article(rng: random.Random, n_words: int = 250) -> str:
    words = [
        rng.choice(WORDS) if rng.random() < 0.5 else rng.choice(FUNCTION) for _ in range(n_words)
    ]
    words[::17] = [f"Name{rng.randrange(10**6)}" for _ in words[::17]]
    return " ".join(words) + "."


def make_documents(n: int, seed: int = 0) -> list[Document]:
    rng = random.Random(seed)
    return [Document(f"doc-{i}", random_article(rng)) for i in range(n)]


def test_add_is_incremental(tmp_path: Path) -> None:
    docs = make_documents(30)
    with ArchiveIndex(tmp_path / "a.db") as index:
        first = index.add(docs[:20], batch_size=7)
        assert (first.added, first.already_present) == (20, 0)
        second = index.add(docs, batch_size=7)
        assert (second.added, second.already_present) == (10, 20)
        assert len(index) == 30
        assert "doc-29" in index
        stored = index.get("doc-3")
        assert stored is not None and stored.text == docs[3].text


def test_reopen_and_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    with ArchiveIndex(path) as index:
        index.add(make_documents(5))
    with ArchiveIndex(path, create=False) as index:
        assert len(index) == 5
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_missing_and_foreign_files_give_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(UnspinError, match="no such index"):
        ArchiveIndex(tmp_path / "missing.db", create=False)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(os.urandom(4096))
    with pytest.raises(UnspinError, match="not a usable unspin index"):
        ArchiveIndex(garbage)
    with pytest.raises(UnspinError, match="is a folder"):
        ArchiveIndex(tmp_path)


def test_index_from_another_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    ArchiveIndex(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '999' WHERE key = 'normalization'")
    with pytest.raises(UnspinError, match="another version of unspin"):
        ArchiveIndex(path)


def consistent(path: Path) -> int:
    """Integrity check; every posting belongs to a stored document. Returns the document count."""
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        orphans = db.execute(
            "SELECT COUNT(*) FROM postings WHERE doc NOT IN (SELECT rowid FROM documents)"
        ).fetchone()[0]
        assert orphans == 0
        without = db.execute(
            "SELECT COUNT(*) FROM documents WHERE rowid NOT IN (SELECT doc FROM postings)"
        ).fetchone()[0]
        assert without == 0
        return int(db.execute("SELECT COUNT(*) FROM documents").fetchone()[0])


def test_kill_9_during_index_leaves_a_usable_index_and_rerun_completes(tmp_path: Path) -> None:
    n = 12_000
    source = tmp_path / "archive.jsonl"
    with source.open("w") as handle:
        for doc in make_documents(n, seed=1):
            handle.write(json.dumps({"id": doc.id, "text": doc.text}) + "\n")
    db = tmp_path / "archive.db"
    command = [
        sys.executable,
        "-m",
        "unspin.cli",
        "index",
        str(source),
        "--db",
        str(db),
        "--batch-size",
        "200",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    count = 0
    while time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=1) as probe:
                    count = probe.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
            except sqlite3.OperationalError:
                continue
            if count >= 1000:
                break
    assert process.poll() is None, (
        "indexing finished before it could be killed; make the input larger"
    )
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    partial = consistent(db)
    assert 1000 <= partial < n
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{partial:,} already present" in rerun.stdout
    assert consistent(db) == n

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
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from unspin.errors import UnspinError
from unspin.fingerprint import Holders, fingerprint
from unspin.index import ArchiveIndex, IndexLayout
from unspin.index.documents import count_documents
from unspin.index.planner import Merge
from unspin.model import Document
from unspin.normalize import tokenize

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


@pytest.mark.parametrize("field", ["text", "title"])
def test_a_document_holding_half_a_surrogate_pair_is_refused_by_name(
    tmp_path: Path, field: str
) -> None:
    docs = make_documents(12)
    broken = replace(docs[9], **{field: "Harbour \ud83d news"})
    with ArchiveIndex(tmp_path / "a.db") as index:
        with pytest.raises(UnspinError, match=rf"'doc-9': its {field} holds an unpaired surrogate"):
            index.add([*docs[:9], broken, *docs[10:]], batch_size=4, workers=1)
        # Batches before the bad one are stored whole; the index stays usable.
        assert len(index) == 8
        assert index.add(docs, batch_size=4, workers=1).added == 4


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


def test_index_of_the_previous_layout_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    with sqlite3.connect(path) as db:  # what schema 2 left: one postings table
        db.executescript(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
            "INSERT INTO meta VALUES ('schema', '2');"
            "CREATE TABLE postings (hash INTEGER NOT NULL, doc INTEGER NOT NULL, "
            "PRIMARY KEY (hash, doc)) WITHOUT ROWID;"
        )
    with pytest.raises(UnspinError, match=r"another version of unspin \(schema 2.*rebuild it"):
        ArchiveIndex(path)
    with sqlite3.connect(path) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"meta", "postings"}


SMALL_RUNS = IndexLayout(run_base=300, fan_in=3, merge_min=4000, prune_from=200, common_df=12)
"""Layout bounds small enough that a few hundred documents go through many merges."""


def test_an_index_keeps_the_layout_it_was_built_with(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    with ArchiveIndex(path, layout=SMALL_RUNS) as index:
        index.add(make_documents(20, seed=3), workers=1)
    with ArchiveIndex(path) as index:
        assert index.layout == SMALL_RUNS
    # The merge tunables may change; what was pruned as too common may not.
    faster = replace(SMALL_RUNS, fan_in=5)
    with ArchiveIndex(path, layout=faster) as index:
        assert index.layout == faster
    with ArchiveIndex(path) as index:
        assert index.layout == faster
    with pytest.raises(UnspinError, match=r"built with common_df 12, which an index keeps"):
        ArchiveIndex(path, layout=replace(SMALL_RUNS, common_df=256))
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '{\"fan\": 1}' WHERE key = 'layout'")
    with pytest.raises(UnspinError, match=r"not a usable unspin index \(not an index layout"):
        ArchiveIndex(path)


def stored_keys(doc: Document) -> set[int]:
    """What the index stores of a document's fingerprints (brute force, from the text)."""
    return set((fingerprint(doc.text, tokenize(doc.text)).hashes >> np.int64(32)).tolist())


def test_postings_through_many_merges_match_brute_force(tmp_path: Path) -> None:
    docs = make_documents(900, seed=7)
    keys = [stored_keys(d) for d in docs]
    path = tmp_path / "a.db"
    with ArchiveIndex(path, layout=SMALL_RUNS) as index:
        start = 0
        # Incremental: several calls, from one document per batch to large batches.
        for end, batch_size in ((1, 1), (40, 3), (300, 25), (420, 120), (900, 60)):
            index.add(docs[start:end], batch_size=batch_size, workers=1)
            start = end
            runs = index.runs()
            assert len(runs) <= 8, runs
        assert any(r.main for r in runs)
        with sqlite3.connect(path) as db:
            pruned_at = db.execute("SELECT value FROM meta WHERE key = 'pruned_at'").fetchone()[0]
        queries = sorted({k for doc_keys in keys for k in doc_keys})
        everywhere: dict[int, list[int]] = {k: [] for k in queries}
        for rowid, doc_keys in enumerate(keys, start=1):
            for key in doc_keys:
                everywhere[key].append(rowid)
        # The old rule: fingerprints in more than COMMON_DF documents when pruned.
        common = {
            k for k, found in everywhere.items() if sum(d <= int(pruned_at) for d in found) > 12
        }
        assert common and set(index.common_hashes().tolist()) == common
        for max_df in (5, 12, 10**6):
            holders = index.postings([k << 32 for k in queries], max_df=max_df)
            got = {k: sorted(found) for k, found in by_fingerprint(holders).items()}
            expected = {
                k << 32: [] if k in common or len(found) > max_df else found
                for k, found in everywhere.items()
            }
            assert got == expected
    consistent(path)


@pytest.mark.parametrize(("common_df", "rewritten"), [(12, False), (2, True)])
def test_merging_everything_prunes_exactly_the_fingerprints_over_common_df(
    tmp_path: Path, common_df: int, rewritten: bool
) -> None:
    docs = make_documents(500, seed=8)
    path = tmp_path / "a.db"
    never = replace(SMALL_RUNS, common_df=common_df, prune_from=10**9)
    with ArchiveIndex(path, layout=never) as index:
        index.add(docs, batch_size=50, workers=1)
        assert not index.common_hashes().size
    with ArchiveIndex(path, layout=replace(never, prune_from=0)) as index:
        index._postings.merge(Merge(tuple(index.runs()), into_main=True), count_documents)
        (main,) = index.runs()
        assert main.main
        document_frequency: dict[int, int] = {}
        for doc in docs:
            for key in stored_keys(doc):
                document_frequency[key] = document_frequency.get(key, 0) + 1
        common = {k for k, df in document_frequency.items() if df > common_df}
        assert set(index.common_hashes().tolist()) == common
        found = by_fingerprint(index.postings([k << 32 for k in document_frequency], max_df=10**6))
        assert {k >> 32 for k, v in found.items() if not v} == common
        # Postings of the fingerprints just found common stay until the next
        # merge, unless they are many (over an eighth): then the run is
        # written again without them.
        kept = sum(df for df in document_frequency.values() if df <= common_df)
        everything = sum(document_frequency.values())
        assert (everything - kept > everything // 8) == rewritten
    with sqlite3.connect(path) as db:
        stored = db.execute(f"SELECT COUNT(*) FROM {main.table}").fetchone()[0]
        assert stored == main.rows == (kept if rewritten else everything)


def consistent(path: Path) -> int:
    """Integrity check; every posting belongs to a stored document. Returns the document count."""
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # The run catalog lists exactly the run tables, with their sizes.
        tables = {
            r[0]
            for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'postings_%'"
            )
        }
        runs = db.execute("SELECT id, rows FROM runs").fetchall()
        assert tables == {f"postings_{i}" for i, _ in runs}
        for i, rows in runs:
            assert db.execute(f"SELECT COUNT(*) FROM postings_{i}").fetchone()[0] == rows
        twice = db.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM postings GROUP BY hash, doc HAVING COUNT(*) > 1)"
        ).fetchone()[0]
        assert twice == 0
        orphans = db.execute(
            "SELECT COUNT(*) FROM postings WHERE doc NOT IN (SELECT rowid FROM documents)"
        ).fetchone()[0]
        assert orphans == 0
        # The full-text index holds exactly the stored documents.
        db.execute("INSERT INTO documents_fts (documents_fts, rank) VALUES ('integrity-check', 1)")
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


_KILLED_MERGE = """
import json, sys, time
import unspin.index.postings as postings
from unspin.index import ArchiveIndex, IndexLayout
from unspin.model import Document

db, source, marker = sys.argv[1:]
if marker != "-":
    merge, set_view = postings.Postings.merge, postings._set_view
    merging = []

    def merge_marked(self, *args):
        merging.append(True)
        merge(self, *args)

    def stalling(connection, runs):
        set_view(connection, runs)
        if merging:
            # Last step inside the merge transaction: the new run is written,
            # the old ones dropped, the catalog and view updated; no COMMIT yet.
            open(marker, "w").close()
            time.sleep(120)

    postings.Postings.merge, postings._set_view = merge_marked, stalling
with open(source) as lines:
    docs = [Document(**json.loads(line)) for line in lines]
with ArchiveIndex(db, layout=IndexLayout(run_base=2000, fan_in=3, merge_min=30000)) as archive:
    archive.add(docs, batch_size=100, workers=1)
"""


def test_kill_9_during_a_merge_rolls_it_back_and_rerun_completes(tmp_path: Path) -> None:
    n = 3000
    docs = make_documents(n, seed=2)
    source = tmp_path / "archive.jsonl"
    source.write_text("".join(json.dumps({"id": d.id, "text": d.text}) + "\n" for d in docs))
    script, db, marker = tmp_path / "build.py", tmp_path / "archive.db", tmp_path / "merging"
    script.write_text(_KILLED_MERGE)
    process = subprocess.Popen([sys.executable, str(script), str(db), str(source), str(marker)])
    deadline = time.monotonic() + 120
    while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists(), "no merge started"
    with sqlite3.connect(db) as probe:  # the merge, uncommitted, is invisible
        runs_before = probe.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    partial = consistent(db)
    assert 0 < partial < n
    with sqlite3.connect(db) as db_after:
        assert db_after.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == runs_before
    subprocess.run(
        [sys.executable, str(script), str(db), str(source), "-"], check=True, timeout=300
    )
    assert consistent(db) == n
    with ArchiveIndex(db, create=False) as index:
        assert len(index.runs()) <= 6
        common = set(index.common_hashes().tolist())
        middle = n // 2
        key = next(k for k in stored_keys(docs[middle]) if k not in common)
        assert middle + 1 in by_fingerprint(index.postings([key << 32], max_df=10**6))[key << 32]


def by_fingerprint(holders: Holders) -> dict[int, list[int]]:
    """Each fingerprint's holders; a too common one's as an empty list."""
    bounds = np.concatenate([[0], np.cumsum(holders.counts)]).tolist()
    found = {
        value: holders.groups[bounds[i] : bounds[i + 1]].tolist()
        for i, value in enumerate(holders.hashes.tolist())
    }
    return found | {value: [] for value in holders.too_common.tolist()}


def full_text_segments(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute("SELECT COUNT(DISTINCT segid) FROM documents_fts_idx").fetchone()[0])


def test_a_large_add_leaves_one_full_text_segment_and_a_small_one_does_not_merge(
    tmp_path: Path,
) -> None:
    # Each batch writes a segment, and every word looked up visits every segment.
    docs = make_documents(90)
    path = tmp_path / "a.db"
    with ArchiveIndex(path) as index:
        index.add(docs[:80], batch_size=10)
    assert full_text_segments(path) == 1
    with ArchiveIndex(path) as index:
        index.add(docs[80:], batch_size=5)  # an eighth of the index at most: no merge
        name = docs[85].text.split()[0]  # a made-up name, in no other document
        assert [d.id for d in index.search(name)] == ["doc-85"]
    assert full_text_segments(path) == 3

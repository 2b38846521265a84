"""Data safety and clear errors (issue 12, items 5-11): other programs' files are left alone,
read-only indexes are checked, nothing is lost silently, killed runs leave no debris, and no
user mistake ends in a traceback."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from unspin import Document, Index, UnspinError
from unspin.web import WebSettings

from .conftest import SAMPLES
from .test_cli import PASSPORT_COPY, assert_clean_failure, unspin
from .test_web_api import make_db, serve_in_thread


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- item 5: another program's SQLite file ----------------------------------------------------


def test_another_programs_sqlite_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE users (name TEXT)")
        db.execute("INSERT INTO users VALUES ('ada')")
    db.close()
    before = digest(other)
    for command in (
        ("check", PASSPORT_COPY, "--db", other),
        ("index", SAMPLES / "archive", "--db", other),
    ):
        done = unspin(*command)
        assert_clean_failure(done, "not an unspin index", "users")
    assert digest(other) == before
    assert not other.with_name("other.db-wal").exists()
    with sqlite3.connect(other) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    db.close()


# --- item 6: a read-only index ----------------------------------------------------------------


def as_reader(command: list[str]) -> list[str]:
    """``command`` without the power to write read-only files (root has it)."""
    if os.geteuid() != 0:
        return command
    drop = "-dac_override,-dac_read_search"
    return ["setpriv", f"--bounding-set={drop}", f"--inh-caps={drop}", "--", *command]


def test_a_read_only_index_in_a_read_only_folder_is_checked(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    db = folder / "archive.db"
    assert unspin("index", SAMPLES / "archive", "--db", db).returncode == 0
    before = digest(db)
    db.chmod(0o444)
    folder.chmod(0o555)
    try:
        done = subprocess.run(
            as_reader(
                [
                    sys.executable,
                    "-m",
                    "unspin.cli",
                    "check",
                    str(PASSPORT_COPY),
                    "--db",
                    str(db),
                    "--json",
                ]
            ),
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        folder.chmod(0o755)
        db.chmod(0o644)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["verdict"] == "spun"
    assert digest(db) == before


# --- item 7: duplicate ids --------------------------------------------------------------------


def test_duplicate_ids_in_a_crawl_are_reported_and_counted(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    assert unspin("index", SAMPLES / "archive", "--db", db).returncode == 0
    text = PASSPORT_COPY.read_text()
    crawl = tmp_path / "crawl.jsonl"
    ids = ["a", "b", "c", "d", "e", "same", "same", "same", "same", "same"]
    crawl.write_text("".join(json.dumps({"id": i, "text": text}) + "\n" for i in ids))
    done = unspin("scan", crawl, "--db", db, "--out", tmp_path / "out.jsonl", "--workers", "1")
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("duplicate id 'same'") == 4
    assert "scanned 6 documents" in done.stdout and "4 bad records skipped" in done.stdout
    assert len((tmp_path / "out.jsonl").read_text().splitlines()) == 6
    clustered = unspin("cluster", crawl, "--out", tmp_path / "clusters.jsonl", "--workers", "1")
    assert clustered.returncode == 0, clustered.stderr
    assert clustered.stderr.count("duplicate id 'same'") == 4


# --- item 8: a truncated WARC record ----------------------------------------------------------


def warc_record(uri: str, payload: bytes, *, claimed: int | None = None) -> bytes:
    length = len(payload) if claimed is None else claimed
    return (
        (
            f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\n"
            f"WARC-Record-ID: <urn:uuid:{abs(hash(uri))}>\r\n"
            "Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {length}\r\n\r\n"
        ).encode()
        + payload
        + b"\r\n\r\n"
    )


def test_a_truncated_warc_record_is_reported_and_skipped(tmp_path: Path) -> None:
    from unspin.io import BadRecord, read_documents

    article = "<p>The harbour council voted on Tuesday to rebuild the old pier.</p>" * 20
    page = f"<html><body><article>{article}</article></body></html>".encode()
    payload = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + page
    whole = warc_record("http://a.example/1", payload)
    cut = warc_record("http://a.example/2", payload, claimed=len(payload) + 541)[:-4]
    for name, data in (
        ("middle.warc", whole + cut + warc_record("http://a.example/3", payload)),
        ("end.warc", whole + cut),
    ):
        (tmp_path / name).write_bytes(data)
        items = list(read_documents([tmp_path / name]))
        assert isinstance(items[0], Document) and items[0].id == "http://a.example/1"
        bad = [i for i in items if isinstance(i, BadRecord)]
        assert [b.where for b in bad] == [f"{tmp_path / name}:record 2"], items
        assert "truncated WARC record" in bad[0].reason
        assert not any(isinstance(i, Document) and i.id.endswith("/2") for i in items)


def test_a_text_file_named_warc_gives_one_error(tmp_path: Path) -> None:
    fake = tmp_path / "notes.warc"
    fake.write_text("A plain text note about the harbour.\n" * 300)
    done = unspin("index", fake, "--db", tmp_path / "a.db")
    assert done.returncode != 0
    assert done.stderr.count("skipped") == 1 and "not a WARC file" in done.stderr
    assert "WARNING" not in done.stderr


# --- item 9: killed runs leave no debris; cluster resumes -------------------------------------


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc").exists(), reason="reads /proc")
def test_kill_9_of_index_leaves_no_worker_alive(tmp_path: Path) -> None:
    inputs = tmp_path / "many.jsonl"
    text = (SAMPLES / "archive").glob("*/*.txt").__next__().read_text()
    inputs.write_text(
        "".join(
            json.dumps({"id": f"doc-{n}", "text": f"{text} Number {n}."}) + "\n"
            for n in range(20_000)
        )
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "unspin.cli",
            "index",
            str(inputs),
            "--db",
            str(tmp_path / "a.db"),
            "--batch-size",
            "50",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: list[int] = []
    deadline = time.monotonic() + 120
    while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
        workers = children_of(process.pid)
    assert len(workers) >= 2, "no worker processes seen: make the input larger"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{w}").exists() for w in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    alive = [w for w in workers if Path(f"/proc/{w}").exists()]
    for worker in alive:  # clean up before failing
        os.kill(worker, signal.SIGKILL)
    assert not alive, f"workers {alive} outlived their parent"


# --- items 10 and 11: no tracebacks -----------------------------------------------------------


def test_square_brackets_in_paths_are_shown_as_written(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl["
    crawl.mkdir()
    (crawl / "x].txt").write_text(PASSPORT_COPY.read_text())
    (crawl / "[red]empty.txt").write_text("")
    db = tmp_path / "idx[" / "x].db"
    db.parent.mkdir()
    done = unspin("index", crawl, "--db", db)
    assert done.returncode == 0, done.stderr
    assert f"into {db}" in done.stdout and "[red]empty.txt" in done.stderr
    checked = unspin("check", crawl / "x].txt", "--db", db)
    assert checked.returncode == 0, checked.stderr
    assert "x].txt" in checked.stdout
    scanned = unspin("scan", crawl, "--db", db, "--out", tmp_path / "out[x].jsonl")
    assert scanned.returncode == 0, scanned.stderr
    assert "out[x].jsonl" in scanned.stdout
    missing = unspin("check", crawl / "[red]gone.txt", "--db", db)
    assert_clean_failure(missing, "[red]gone.txt")
    # Ids come from records too: a source id is shown in the report's table of sources.
    wire = tmp_path / "wire.jsonl"
    passport = SAMPLES / "archive/coastal-wire/actor-russian-passport.txt"
    wire.write_text(json.dumps({"id": "wire[/x]", "text": passport.read_text()}) + "\n")
    assert unspin("index", wire, "--db", db).returncode == 0
    reported = unspin("check", PASSPORT_COPY, "--db", db)
    assert reported.returncode == 0, reported.stderr
    assert "wire[/x]" in reported.stdout


@pytest.mark.parametrize(
    ("arguments", "complaint"),
    [
        (("check", PASSPORT_COPY, "--candidates", "0"), "--candidates"),
        (("check", PASSPORT_COPY, "--candidates", "-2"), "--candidates"),
        (("index", PASSPORT_COPY, "--batch-size", "0"), "--batch-size"),
        (("scan", PASSPORT_COPY, "--out", "o.jsonl", "--workers", "-3"), "--workers"),
        (("serve", "--port", "99999"), "--port"),
    ],
)
def test_numbers_out_of_range_are_refused(
    tmp_path: Path, arguments: tuple[str | Path, ...], complaint: str
) -> None:
    done = unspin(*arguments, "--db", tmp_path / "a.db")
    assert_clean_failure(done, complaint)
    assert not (tmp_path / "a.db").exists()


@pytest.mark.parametrize("candidates", [0, -2])
def test_the_python_api_refuses_candidates_under_one_as_the_cli_does(
    sample_index: Index, candidates: int
) -> None:
    with pytest.raises(UnspinError, match=f"candidates must be at least 1, not {candidates}"):
        sample_index.check(PASSPORT_COPY.read_text(), candidates=candidates)


def test_a_missing_work_dir_is_one_line(tmp_path: Path) -> None:
    done = unspin(
        "cluster", PASSPORT_COPY, "--out", tmp_path / "c.jsonl", "--work-dir", tmp_path / "gone"
    )
    assert_clean_failure(done, "gone")


def test_a_damaged_index_is_one_line_and_index_does_not_report_success(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    assert unspin("index", SAMPLES / "archive", "--db", db).returncode == 0
    data = bytearray(db.read_bytes())
    data[98304 : 98304 + 5000] = b"\xab" * 5000  # a page of the documents' tree
    db.write_bytes(bytes(data))
    assert_clean_failure(unspin("check", PASSPORT_COPY, "--db", db), str(db), "damaged")
    assert_clean_failure(unspin("index", SAMPLES / "archive", "--db", db), str(db), "damaged")


def test_index_of_a_missing_path_makes_no_index(tmp_path: Path) -> None:
    done = unspin("index", tmp_path / "nothing-here", "--db", tmp_path / "a.db")
    assert_clean_failure(done, "nothing-here")
    assert not (tmp_path / "a.db").exists()


def test_a_huge_check_id_is_404_with_the_security_headers(
    tmp_path: Path, sample_documents: list[Document]
) -> None:
    db = make_db(tmp_path / "web.db", sample_documents[:2])
    with serve_in_thread(WebSettings(db=db)) as base:
        for path in ("/checks/99999999999999999999999", "/checks/-1", "/checks/0"):
            answer = httpx.get(base + path, timeout=30)
            assert answer.status_code == 404, (path, answer.status_code)
            assert "Content-Security-Policy" in answer.headers
            assert answer.headers["X-Content-Type-Options"] == "nosniff"

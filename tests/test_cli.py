"""The command line: real processes, real files, one-line errors and no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from unspin.schema import RESULT_SCHEMA

from .conftest import SAMPLES

PASSPORT_COPY = SAMPLES / "suspects/handmade/actor-passport-spun.txt"


def unspin(*args: str | Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "unspin.cli", *map(str, args)],
        input=stdin.decode("utf-8", "surrogateescape") if stdin is not None else None,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "archive.db"
    done = unspin("index", SAMPLES / "archive", "--db", db)
    assert done.returncode == 0, done.stderr
    assert "indexed 50 new documents" in done.stdout
    return db


def assert_clean_failure(done: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert done.returncode != 0
    assert "Traceback" not in done.stderr + done.stdout
    for needle in needles:
        assert needle in done.stderr, done.stderr


def test_reindex_skips_what_is_there(sample_db: Path) -> None:
    done = unspin("index", SAMPLES / "archive", "--db", sample_db)
    assert done.returncode == 0
    assert "indexed 0 new documents" in done.stdout and "50 already present" in done.stdout


def test_check_json_schema(sample_db: Path) -> None:
    done = unspin("check", PASSPORT_COPY, "--db", sample_db, "--json")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert set(result) == {
        "schema",
        "query",
        "verdict",
        "language",
        "unsupported_language",
        "matches",
        "unspin",
    }
    assert set(result["unspin"]) == {"version", "index", "settings"}
    assert result["schema"] == RESULT_SCHEMA
    assert result["query"] == {
        "id": "actor-passport-spun.txt",
        "chars": len(PASSPORT_COPY.read_text("utf-8")),
        "url": None,
        "title": None,
        "site": None,
        "published": None,
    }
    assert result["verdict"] == "spun"
    match = result["matches"][0]
    assert {
        "source_id",
        "source_url",
        "verdict",
        "score",
        "coverage",
        "spin_rate",
        "retrieval",
        "also_in",
        "passages",
        "pairs",
        "edits",
    } <= set(match)
    assert 0.0 <= match["score"] <= 1.0
    edit = match["edits"][0]
    assert set(edit) == {
        "type",
        "copy_start",
        "copy_end",
        "source_start",
        "source_end",
        "copy_text",
        "source_text",
        "copy_words",
        "source_words",
    }
    scores = [
        m["score"] for m in result["matches"] if m["verdict"] in ("verbatim", "spun", "partial")
    ]
    assert scores == sorted(scores, reverse=True)
    assert all(m["verdict"] != "unrelated" for m in result["matches"])


def test_check_batch_of_suspects_one_line_each(sample_db: Path, tmp_path: Path) -> None:
    batch = tmp_path / "suspects.jsonl"
    texts = [
        PASSPORT_COPY.read_text("utf-8"),
        (SAMPLES / "suspects/handmade/review-kettle.txt").read_text("utf-8"),
    ]
    batch.write_text(
        "\n".join(json.dumps({"id": f"s{i}", "text": t}) for i, t in enumerate(texts))
        + "\n{broken\n",
        encoding="utf-8",
    )
    done = unspin("check", batch, "--db", sample_db, "--json")
    assert done.returncode == 0, done.stderr
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(r["query"]["id"], r["verdict"]) for r in results] == [
        ("s0", "spun"),
        ("s1", "unrelated"),
    ]
    assert "suspects.jsonl:3" in done.stderr


def test_check_from_stdin_and_terminal_report(sample_db: Path) -> None:
    done = unspin("check", "-", "--db", sample_db, stdin=PASSPORT_COPY.read_bytes())
    assert done.returncode == 0, done.stderr
    assert "SPUN" in done.stdout
    assert "coastal-wire/actor-russian-passport.txt" in done.stdout
    assert "presented [showed]" in done.stdout


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty document"),
        ("binary.txt", bytes(range(256)) * 64, "binary file"),
        ("latin1.txt", "Café société".encode("latin-1"), "not valid UTF-8"),
    ],
)
def test_bad_files_get_one_line_errors_and_leave_the_index_alone(
    sample_db: Path, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    done = unspin("index", bad, "--db", sample_db)
    assert_clean_failure(done, name, message)
    assert unspin("check", bad, "--db", sample_db).returncode != 0
    assert "50 in the index" in unspin("index", SAMPLES / "archive", "--db", sample_db).stdout


def test_huge_file_is_refused(sample_db: Path, tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    assert_clean_failure(unspin("index", huge, "--db", sample_db), "huge.txt", "too large")


def test_jsonl_with_one_broken_line_skips_and_counts_it(tmp_path: Path) -> None:
    source = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": f"d{i}", "text": f"Story number {i} about the harbour bridge vote."})
        for i in range(5)
    ]
    lines.insert(2, '{"id": "broken", "text": "unterminated')
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = unspin("index", source, "--db", tmp_path / "a.db")
    assert done.returncode == 0
    assert "indexed 5 new documents" in done.stdout and "1 bad records skipped" in done.stdout
    assert "batch.jsonl:3" in done.stderr and "Traceback" not in done.stderr


def test_missing_index_and_corrupt_index(tmp_path: Path) -> None:
    assert_clean_failure(
        unspin("check", PASSPORT_COPY, "--db", tmp_path / "nope.db"), "no such index"
    )
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"this is not a database" * 100)
    assert_clean_failure(
        unspin("check", PASSPORT_COPY, "--db", corrupt), "not a usable unspin index"
    )

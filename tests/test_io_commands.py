"""Every command reads every format, through the one input layer (:mod:`unspin.io`).

One folder holds one fictional article in each format; each command is given
the folder and must see all seven articles, with no bad record.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import Result
from typer.testing import CliRunner

from tests.test_scan import page, write_jsonl, write_warc
from unspin import Index
from unspin.cli import app
from unspin.model import Document

ARTICLES = {
    "txt": "The Lowmere ferry council approved a winter timetable on Tuesday. Boats will "
    "leave the north pier every forty minutes, and the last crossing moves to nine.",
    "html": "Volunteers in Brackwater counted four hundred herons along the estuary this "
    "spring. The count, the largest since the survey began, surprised the organisers.",
    "jsonl": "A bakery in Tollby Cross won the regional prize for rye bread. Its owner said "
    "the recipe came from her grandmother and needs two days of patient proving.",
    "csv": "Engineers reopened the Fennick viaduct after a month of repairs to its stone "
    "arches. Trains will run at reduced speed until the final inspection in May.",
    "parquet": "The Marrowdale library lent more board games than novels last year. The "
    "librarian plans a games evening every Thursday to meet the new demand.",
    "warc": "Fishermen at Gullhaven landed a record catch of mackerel on Friday. Prices at "
    "the harbour market fell by a third before noon as buyers hurried in.",
    "warc.gz": "A choir from Emberley School will sing at the county festival in June. The "
    "pupils raised the money for the coach trip by selling plants at the gate.",
}
"""Fictional news, one article per format."""


def documents() -> dict[str, Document]:
    return {
        kind: Document(f"{kind}-article", text, url=f"https://news.example/{number}")
        for number, (kind, text) in enumerate(ARTICLES.items())
    }


def write_every_format(folder: Path) -> set[str]:
    """One file per format in ``folder``; returns the ids their articles are read with."""
    docs = documents()
    (folder / "article.txt").write_text(docs["txt"].text, encoding="utf-8")
    (folder / "article.html").write_bytes(page(docs["html"]))
    write_jsonl(folder / "article.jsonl", [docs["jsonl"]])
    with (folder / "article.csv").open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows([["id", "text"], [docs["csv"].id, docs["csv"].text]])
    row = {"id": docs["parquet"].id, "text": docs["parquet"].text}
    pq.write_table(pa.Table.from_pylist([row]), folder / "article.parquet")
    write_warc(folder / "article.warc", [docs["warc"]], gzip=False)
    write_warc(folder / "article.warc.gz", [docs["warc.gz"]], gzip=True)
    return {
        "article.txt",
        "article.html",
        docs["jsonl"].id,
        docs["csv"].id,
        docs["parquet"].id,
        str(docs["warc"].url),
        str(docs["warc.gz"].url),
    }


@pytest.fixture(scope="module")
def every_format(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    folder = tmp_path_factory.mktemp("formats")
    return folder, write_every_format(folder)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("archive") / "archive.db"
    with Index(db) as index:
        index.add(documents().values(), workers=1)
    return db


def unspin(*args: str | Path) -> Result:
    result = CliRunner().invoke(app, [str(arg) for arg in args])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result


def json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_index_reads_every_format(every_format: tuple[Path, set[str]], tmp_path: Path) -> None:
    folder, ids = every_format
    result = unspin("index", folder, "--db", tmp_path / "a.db")
    assert "indexed 7 new documents" in result.output
    assert "0 bad records skipped" in result.output
    with Index(tmp_path / "a.db", create=False) as index:
        assert all(doc_id in index for doc_id in ids)


def test_check_reads_every_format(every_format: tuple[Path, set[str]], archive: Path) -> None:
    folder, ids = every_format
    rows = json_lines(unspin("check", folder, "--db", archive, "--json").stdout)
    assert {row["query"]["id"] for row in rows} == ids  # type: ignore[index]


def test_generate_reads_every_format(every_format: tuple[Path, set[str]]) -> None:
    folder, ids = every_format
    rows = json_lines(unspin("generate", folder, "--kind", "verbatim").stdout)
    assert {row["id"] for row in rows} == {f"verbatim-0.3-{doc_id}" for doc_id in ids}


def test_detect_reads_every_format(every_format: tuple[Path, set[str]]) -> None:
    folder, ids = every_format
    rows = json_lines(unspin("detect", folder, "--json").stdout)
    assert {row["query"]["id"] for row in rows} == ids  # type: ignore[index]


def test_learn_reads_every_format(every_format: tuple[Path, set[str]], archive: Path) -> None:
    folder, _ = every_format
    result = unspin("learn", folder, "--db", archive)
    assert "of 7 suspects (0 bad records skipped)" in result.output


def test_scan_reads_every_format(
    every_format: tuple[Path, set[str]], archive: Path, tmp_path: Path
) -> None:
    folder, ids = every_format
    out = tmp_path / "scan.jsonl"
    result = unspin("scan", folder, "--db", archive, "--out", out, "--workers", "1")
    assert "scanned 7 documents (0 already done, 0 bad records skipped)" in result.output
    assert {row["query"]["id"] for row in json_lines(out.read_text())} == ids  # type: ignore[index]


def test_cluster_reads_every_format(every_format: tuple[Path, set[str]], tmp_path: Path) -> None:
    folder, _ = every_format
    result = unspin("cluster", folder, "--out", tmp_path / "c.jsonl", "--workers", "1")
    assert "of 7 documents (0 bad records skipped)" in result.output


def test_commands_take_glob_patterns(every_format: tuple[Path, set[str]], tmp_path: Path) -> None:
    folder, _ = every_format
    result = unspin("index", f"{folder}/*.warc*", "--db", tmp_path / "a.db")
    assert "indexed 2 new documents" in result.output


def test_bad_record_names_are_printed_as_given(tmp_path: Path) -> None:
    """A file name that looks like console markup is printed as it is, never parsed."""
    missing = tmp_path / "notes[/b].txt"
    result = CliRunner().invoke(app, ["index", str(missing), "--db", str(tmp_path / "a.db")])
    assert result.exit_code == 2, result.output
    assert f"{missing}: no .txt" in " ".join(result.output.split())

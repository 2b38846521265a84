"""``unspin scan``: crawl formats, outputs, parallel workers, resuming after kill -9."""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

from unspin import Index
from unspin.cli import app
from unspin.detect.dictionary import SpinnerDictionary
from unspin.errors import UnspinError
from unspin.io import BadRecord, find_inputs, read_documents
from unspin.model import UNKNOWN_SITE, Document, site_of
from unspin.scan import parquet_row_to_json, read_crawl, scan
from unspin.scan.ledger import ledger_path
from unspin.schema import check_result_to_dict
from unspin.synthetic import make_variant

ROOT = Path(__file__).resolve().parent.parent


def crawl_documents(sources: list[Document], count: int) -> list[Document]:
    """A crawl: spun and verbatim copies of archive articles on three farm sites."""
    documents = []
    for number in range(count):
        source = sources[number % len(sources)]
        kind = "spun" if number % 3 else "verbatim"
        variant = make_variant(kind, [source], rate=0.3, seed=number)
        documents.append(
            Document(
                f"crawl-{number}",
                variant.text,
                url=f"https://farm{number % 3}.example/{number}",
                site=f"farm{number % 3}.example",
            )
        )
    return documents


def write_jsonl(path: Path, documents: list[Document], extra: str = "") -> Path:
    with path.open("w", encoding="utf-8") as file:
        for d in documents:
            record = {"id": d.id, "text": d.text, "url": d.url, "site": d.site}
            file.write(json.dumps(record) + "\n")
        file.write(extra)
    return path


def page(document: Document) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in document.text.split("\n\n"))
    return (
        f"<html><head><title>{document.id}</title></head>"
        f"<body><article>{paragraphs}</article></body></html>"
    ).encode()


def write_warc(path: Path, documents: list[Document], *, gzip: bool) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    for document in documents:
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                document.url, "response", payload=io.BytesIO(page(document)), http_headers=headers
            )
        )
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


@pytest.fixture(scope="module")
def crawl(sample_documents: list[Document]) -> list[Document]:
    return crawl_documents(sample_documents, 24)


def expected_rows(index: Index, documents: list[Document]) -> list[dict[str, object]]:
    return [check_result_to_dict(index.check(d)) for d in documents]


def read_jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_jsonl_scan_matches_check_json(
    tmp_path: Path, sample_index: Index, crawl: list[Document]
) -> None:
    source = write_jsonl(tmp_path / "crawl.jsonl", crawl, extra="{not json\n")
    bad: list[BadRecord] = []
    report = scan([source], sample_index.path, tmp_path / "out.jsonl", workers=1, on_bad=bad.append)
    assert read_jsonl(tmp_path / "out.jsonl") == expected_rows(sample_index, crawl)
    assert [b.where for b in bad] == [f"{source}:{len(crawl) + 1}"]
    assert report.progress.checked == len(crawl)
    summary = report.summary
    assert summary.checked == len(crawl) and summary.bad_records == 1
    assert sum(summary.verdicts.get(v, 0) for v in ("verbatim", "spun", "partial")) == len(crawl)
    assert {site for site, _ in summary.copying_sites} == {f"farm{i}.example" for i in range(3)}


def test_parquet_in_and_out_with_corrupt_rows(
    tmp_path: Path, sample_index: Index, crawl: list[Document]
) -> None:
    rows = [{"id": d.id, "text": d.text, "url": d.url, "site": d.site} for d in crawl[:6]]
    rows.insert(2, {"id": "no-text", "text": None, "url": None, "site": None})
    rows.insert(4, {"id": "", "text": "an empty id", "url": None, "site": None})
    source = tmp_path / "crawl.parquet"
    pq.write_table(pa.Table.from_pylist(rows), source)
    bad: list[BadRecord] = []
    scan([source], sample_index.path, tmp_path / "out.parquet", workers=1, on_bad=bad.append)
    table = pq.read_table(tmp_path / "out.parquet").to_pylist()
    assert [parquet_row_to_json(r) for r in table] == expected_rows(sample_index, crawl[:6])
    assert {"id", "verdict", "best_source", "score", "matches", "unspin"} <= set(table[0])
    # Every row carries its provenance, as every JSON line does.
    assert {json.loads(r["unspin"])["index"]["id"] for r in table} == {sample_index.id}
    assert [b.where for b in bad] == [f"{source}:row 3", f"{source}:row 5"]


def test_not_parquet_is_one_bad_record(tmp_path: Path) -> None:
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 this is not parquet at all")
    items = list(read_documents([broken]))
    assert len(items) == 1 and isinstance(items[0], BadRecord)
    assert "not a readable Parquet file" in items[0].reason


@pytest.mark.parametrize("gzip", [True, False])
def test_warc_with_a_corrupt_record(
    tmp_path: Path, sample_index: Index, crawl: list[Document], gzip: bool
) -> None:
    pages = crawl[:4]
    clean = write_warc(tmp_path / "clean.warc", pages, gzip=gzip)
    marker = b"\x1f\x8b\x08" if gzip else b"WARC/1."
    starts = [i for i in range(len(clean)) if clean.startswith(marker, i)]
    garbage = marker + b"\x00\xffgarbage that is no record\r\n\r\n"
    broken = clean[: starts[2]] + garbage + clean[starts[2] :]
    source = tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc")
    source.write_bytes(broken)
    items = list(read_documents([source]))
    documents = [i for i in items if isinstance(i, Document)]
    bad = [i for i in items if isinstance(i, BadRecord)]
    assert [d.id for d in documents] == [d.url for d in pages]
    assert len(bad) == 1 and "unreadable WARC record" in bad[0].reason
    assert bad[0].reason.isprintable()
    for document, original in zip(documents, pages, strict=True):
        assert document.url == original.url
        assert original.text.split("\n\n")[0] in document.text
    report = scan([source], sample_index.path, tmp_path / "out.jsonl", workers=1)
    assert report.summary.checked == 4 and report.summary.bad_records == 1
    assert {r["verdict"] for r in read_jsonl(tmp_path / "out.jsonl")} <= {"verbatim", "spun"}


def test_csv_and_folders(tmp_path: Path, crawl: list[Document]) -> None:
    folder = tmp_path / "crawls"
    folder.mkdir()
    write_jsonl(folder / "a.jsonl", crawl[:2])
    (folder / "b.csv").write_text(f'id,text\nx,"{crawl[2].text}"\n', encoding="utf-8")
    (folder / "notes.txt").write_text("A plain text page is read as well.")
    (folder / "notes.md").write_text("not a format unspin reads")
    files, problems = find_inputs([folder, tmp_path / "missing.jsonl"])
    assert [f.name for f in files] == ["a.jsonl", "b.csv", "notes.txt"]
    assert [p.reason for p in problems] == ["no such file or folder"]
    ids = [r.item.id for r in read_crawl(files) if isinstance(r.item, Document)]
    assert ids == ["crawl-0", "crawl-1", "x", "notes.txt"]


def test_two_workers_give_the_same_rows(
    tmp_path: Path, sample_index: Index, crawl: list[Document]
) -> None:
    source = write_jsonl(tmp_path / "crawl.jsonl", crawl)
    scan([source], sample_index.path, tmp_path / "one.jsonl", workers=1)
    scan([source], sample_index.path, tmp_path / "two.jsonl", workers=2, batch_size=4)
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()


def test_rerun_skips_done_documents(
    tmp_path: Path, sample_index: Index, crawl: list[Document]
) -> None:
    source = write_jsonl(tmp_path / "crawl.jsonl", crawl[:10])
    out = tmp_path / "out.jsonl"
    first = scan([source], sample_index.path, out, workers=1)
    write_jsonl(source, crawl[:14])  # the crawl grew
    second = scan([source], sample_index.path, out, workers=1)
    assert (first.progress.checked, second.progress.checked) == (10, 4)
    assert second.progress.already_done == 10
    assert read_jsonl(out) == expected_rows(sample_index, crawl[:14])


def test_kill_9_halfway_then_resume(
    tmp_path: Path, sample_index: Index, sample_documents: list[Document]
) -> None:
    documents = crawl_documents(sample_documents, 240)
    source = write_jsonl(tmp_path / "crawl.jsonl", documents)
    out = tmp_path / "out.jsonl"
    db = sample_index.path
    command = [
        sys.executable,
        "-m",
        "unspin.cli",
        "scan",
        str(source),
        "--db",
        str(db),
        "--out",
        str(out),
        "--workers",
        "1",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ledger = ledger_path(out)
    deadline = time.monotonic() + 120
    done_before_kill = 0
    while time.monotonic() < deadline and process.poll() is None:
        if ledger.exists():
            with sqlite3.connect(ledger) as db_connection:
                try:
                    done_before_kill = db_connection.execute(
                        "SELECT COUNT(*) FROM results"
                    ).fetchone()[0]
                except sqlite3.OperationalError:
                    done_before_kill = 0
            if done_before_kill >= 64:
                break
        time.sleep(0.02)
    assert process.poll() is None, "the scan finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert not out.exists()
    with sqlite3.connect(ledger) as db_connection:
        done_at_kill = db_connection.execute("SELECT COUNT(*) FROM results").fetchone()[0]
    assert 64 <= done_at_kill < len(documents)

    resumed = scan([source], db, out, workers=1)
    assert resumed.progress.already_done == done_at_kill
    assert resumed.progress.checked == len(documents) - done_at_kill
    rows = read_jsonl(out)
    assert [r["query"]["id"] for r in rows] == [d.id for d in documents]  # none lost, none twice
    assert rows == expected_rows(sample_index, documents)


def test_cli_scan_summary_and_errors(
    tmp_path: Path, sample_index: Index, crawl: list[Document]
) -> None:
    runner = CliRunner()
    source = write_jsonl(tmp_path / "crawl.jsonl", crawl[:5])
    db = str(sample_index.path)
    result = runner.invoke(
        app, ["scan", str(source), "--db", db, "--out", str(tmp_path / "o.jsonl"), "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    assert "scanned 5 documents" in result.output
    assert "top copying sites: farm" in result.output
    other_db = tmp_path / "other.db"
    with Index(other_db) as other:
        other.add(crawl[:1], workers=1)
    for args, message in [
        (
            [str(source), "--db", str(other_db), "--out", str(tmp_path / "o.jsonl")],
            "holds a scan against",
        ),
        ([str(source), "--db", db, "--out", str(tmp_path / "o.txt")], "must be a .jsonl"),
        (
            [str(source), "--db", str(tmp_path / "none.db"), "--out", str(tmp_path / "o.jsonl")],
            "no such index",
        ),
        (
            [str(tmp_path / "nothing.jsonl"), "--db", db, "--out", str(tmp_path / "o.jsonl")],
            "nothing to scan",
        ),
        (
            [str(source), "--db", db, "--out", str(tmp_path / "o.jsonl"), "--engine", "hadoop"],
            "--engine must be",
        ),
    ]:
        result = runner.invoke(app, ["scan", *args])
        assert result.exit_code == 2, result.output
        assert message in result.output and "Traceback" not in result.output


def test_resuming_against_a_rebuilt_index_is_refused(
    tmp_path: Path, sample_documents: list[Document], crawl: list[Document]
) -> None:
    db = tmp_path / "archive.db"
    source = write_jsonl(tmp_path / "crawl.jsonl", crawl[:2])
    with Index(db) as index:
        index.add(sample_documents[:3], workers=1)
    scan([source], db, tmp_path / "out.jsonl", workers=1)
    for leftover in tmp_path.glob("archive.db*"):
        leftover.unlink()
    with Index(db) as index:  # the same documents at the same path: another index all the same
        index.add(sample_documents[:3], workers=1)
    with pytest.raises(UnspinError, match="earlier index at"):
        scan([source], db, tmp_path / "out.jsonl", workers=1)


def test_warc_skips_requests_redirects_and_images(tmp_path: Path, crawl: list[Document]) -> None:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    html = [("Content-Type", "text/html")]
    records = [
        ("request", None, b"GET / HTTP/1.1\r\n\r\n"),
        ("response", StatusAndHeaders("301 Moved", html, protocol="HTTP/1.1"), b"<html></html>"),
        (
            "response",
            StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1"),
            b"\x89PNG...",
        ),
        ("response", StatusAndHeaders("200 OK", html, protocol="HTTP/1.1"), page(crawl[0])),
    ]
    for kind, headers, payload in records:
        writer.write_record(
            writer.create_warc_record(
                "https://farm.example/a", kind, payload=io.BytesIO(payload), http_headers=headers
            )
        )
    source = tmp_path / "mixed.warc.gz"
    source.write_bytes(buffer.getvalue())
    items = list(read_documents([source]))
    assert len(items) == 1 and isinstance(items[0], Document)
    assert items[0].id == "https://farm.example/a"


def test_a_malformed_url_without_site_is_an_unknown_site(
    tmp_path: Path, sample_index: Index, crawl: list[Document]
) -> None:
    odd = Document("odd", crawl[0].text, url="http://[not-a-host/page")
    source = write_jsonl(tmp_path / "crawl.jsonl", [odd])
    report = scan([source], sample_index.path, tmp_path / "out.jsonl", workers=1)
    assert report.summary.copying_sites == [(UNKNOWN_SITE, 1)]


def test_one_site_of_for_scans_and_the_web_app() -> None:
    assert site_of(Document("a", "x", url="https://www.news.example/a")) == "news.example"
    assert site_of(Document("a", "x", url="https://www.news.example/a", site="News")) == "News"
    assert site_of(Document("a", "x", url="http://[broken/a")) is None
    assert site_of(Document("a", "x")) is None


def test_one_spelling_of_an_unknown_site_in_the_spinner_dictionary() -> None:
    learned = SpinnerDictionary()
    learned.add(None, "kingdom", "realm")
    learned.add("", "kingdom", "realm")  # as older index files stored it
    assert learned.sites() == [UNKNOWN_SITE]

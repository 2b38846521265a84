"""Tests for unspin.io: reading articles from files, folders, glob patterns and stdin."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_scan import write_warc
from unspin.errors import InputError
from unspin.io import (
    SUFFIX_LIST,
    SUPPORTED_SUFFIXES,
    BadRecord,
    atomic_write,
    read_document_stdin,
    read_documents,
)
from unspin.model import Document

ARTICLE_HTML = """<!DOCTYPE html>
<html><head>
<title>Ferry service resumes after storm | The Harbour Gazette</title>
<meta property="og:site_name" content="The Harbour Gazette">
<meta name="date" content="2022-11-08">
<script>var adSlot = "TRACKER_SCRIPT_PAYLOAD";</script>
<style>.nav { color: red; }</style>
</head><body>
<nav><a href="/">Home</a> | <a href="/local">Local</a> | <a href="/sport">Sport</a></nav>
<article>
<h1>Ferry service resumes after three days of storms</h1>
<p>The island ferry sailed again on Monday after high winds kept it in port for three
days, leaving dozens of commuters and a school choir stranded on the mainland.</p>
<p>"The crew checked every rope twice before we let anyone on board," the harbour
master said, adding that the first crossing took ten minutes longer than usual.</p>
<script>document.write("TRACKER_SCRIPT_PAYLOAD");</script>
<p>Timetables return to normal on Wednesday, the operator said in a short statement.</p>
</article>
<footer>Copyright The Harbour Gazette. Subscribe to our newsletter.</footer>
</body></html>
"""


def read_all(*paths: str | Path, **kwargs: int) -> list[Document | BadRecord]:
    return list(read_documents(list(paths), **kwargs))


def documents(results: list[Document | BadRecord]) -> list[Document]:
    return [r for r in results if isinstance(r, Document)]


def bad(results: list[Document | BadRecord]) -> list[BadRecord]:
    return [r for r in results if isinstance(r, BadRecord)]


def only_bad(path: Path, **kwargs: int) -> BadRecord:
    results = read_all(path, **kwargs)
    assert len(results) == 1 and isinstance(results[0], BadRecord), results
    return results[0]


# --- text files and folders ------------------------------------------------------------------


def test_folder_walk_gives_relative_ids_in_sorted_order(tmp_path: Path) -> None:
    (tmp_path / "b" / "deep").mkdir(parents=True)
    (tmp_path / "a.txt").write_text("Alpha story.", encoding="utf-8")
    (tmp_path / "b" / "deep" / "c.TXT").write_text("Gamma story.", encoding="utf-8")
    (tmp_path / "b" / "a2.txt").write_text("Beta story.", encoding="utf-8")
    (tmp_path / "b" / "notes.md").write_text("not an article", encoding="utf-8")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.txt").write_text("Hidden folder.", encoding="utf-8")
    (tmp_path / ".secret.txt").write_text("Hidden file.", encoding="utf-8")

    results = read_all(tmp_path)

    assert results == [
        Document(id="a.txt", text="Alpha story."),
        Document(id="b/a2.txt", text="Beta story."),
        Document(id="b/deep/c.TXT", text="Gamma story."),
    ]


def test_folder_without_articles_is_reported(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("Not an article.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("Hidden.", encoding="utf-8")
    record = only_bad(tmp_path)
    assert record == BadRecord(str(tmp_path), f"no {SUFFIX_LIST} files in folder")


def test_file_given_directly_is_named_by_its_file_name(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    path = tmp_path / "sub" / "story.txt"
    path.write_text("A short story.", encoding="utf-8")
    assert read_all(str(path)) == [Document(id="story.txt", text="A short story.")]


def test_text_is_kept_exactly_except_the_bom(tmp_path: Path) -> None:
    path = tmp_path / "windows.txt"
    path.write_bytes(b"\xef\xbb\xbfFirst line\r\n  second\tline\r\n")
    (doc,) = documents(read_all(path))
    assert doc.text == "First line\r\n  second\tline\r\n"


def test_utf16_with_bom_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "notepad.txt"
    path.write_bytes("Gérard signed the contract.".encode("utf-16"))
    (doc,) = documents(read_all(path))
    assert doc.text == "Gérard signed the contract."


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty document"),
        (b"  \n\t\r\n ", "empty document"),
        (b"12 34 -- 56.7 !!", "no words in document"),
        (b"caf\xe9 au lait", "not valid UTF-8 (byte 0xe9 at offset 3)"),
        (b"Some text\x00\x01\x02 then more", "binary file"),
        (b"\x01\x02\x03\x04ab", "binary file"),
    ],
)
def test_whole_file_checks(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(content)
    assert only_bad(path) == BadRecord(str(path), reason)


def test_invalid_utf8_reports_the_byte_offset(tmp_path: Path) -> None:
    path = tmp_path / "broken.txt"
    path.write_bytes(b"x" * 1234 + b"\x9f rest")
    assert only_bad(path).reason == "not valid UTF-8 (byte 0x9f at offset 1234)"


def test_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("word " * 100, encoding="utf-8")
    record = only_bad(path, max_document_bytes=100)
    assert record.reason == "file too large (500 bytes; limit 100 bytes)"
    assert documents(read_all(path, max_document_bytes=500))


def test_50_mb_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as file:
        file.truncate(50_000_000)  # sparse: instant, and would be "binary" if it were read
    assert only_bad(path) == BadRecord(str(path), "file too large (50.0 MB; limit 20 MB)")


def test_missing_path_and_unsupported_types(tmp_path: Path) -> None:
    (tmp_path / "paper.PDF").write_bytes(b"%PDF-1.4")
    (tmp_path / "README").write_text("Some words.", encoding="utf-8")
    results = read_all(tmp_path / "gone.txt", tmp_path / "paper.PDF", tmp_path / "README")
    expected = f"expected {SUFFIX_LIST}"
    assert [str(r) for r in results] == [
        f"{tmp_path / 'gone.txt'}: no such file or folder",
        f"{tmp_path / 'paper.PDF'}: unsupported file type '.pdf'; {expected}",
        f"{tmp_path / 'README'}: unsupported file type (no extension); {expected}",
    ]


def test_single_string_path_is_not_split_into_characters(tmp_path: Path) -> None:
    path = tmp_path / "one.txt"
    path.write_text("One article.", encoding="utf-8")
    assert list(read_documents(str(path))) == [Document(id="one.txt", text="One article.")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    assert only_bad(path).reason == "not a regular file"


def test_folder_named_like_a_file_is_walked(tmp_path: Path) -> None:
    folder = tmp_path / "odd.txt"
    folder.mkdir()
    (folder / "inner.txt").write_text("Inner text.", encoding="utf-8")
    assert read_all(folder) == [Document(id="inner.txt", text="Inner text.")]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_is_a_bad_record(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("Locked away.", encoding="utf-8")
    path.chmod(0)
    try:
        assert "permission denied" in only_bad(path).reason
    finally:
        path.chmod(0o644)


def test_symlinked_folder_loop_ends(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Only once.", encoding="utf-8")
    (tmp_path / "loop").symlink_to(tmp_path)
    assert read_all(tmp_path) == [Document(id="a.txt", text="Only once.")]


def test_glob_pattern_works_like_a_filtered_folder_walk(tmp_path: Path) -> None:
    (tmp_path / "2024" / "may").mkdir(parents=True)
    (tmp_path / "2024" / "may" / "a.txt").write_text("May story.", encoding="utf-8")
    (tmp_path / "2024" / "may" / "b.jsonl").write_text(
        '{"id": "june-1", "text": "June story."}\n', encoding="utf-8"
    )
    (tmp_path / "2024" / ".draft.txt").write_text("Hidden draft.", encoding="utf-8")
    results = read_all(f"{tmp_path}/2024/**/*.txt", f"{tmp_path}/2024/*")
    assert results == [
        Document(id="may/a.txt", text="May story."),
        Document(id="may/a.txt", text="May story."),
        Document(id="june-1", text="June story."),
    ]
    pattern = f"{tmp_path}/*.csv"
    assert read_all(pattern) == [BadRecord(pattern, f"no {SUFFIX_LIST} files match")]


def test_atomic_write_leaves_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "clusters.jsonl"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_write(target) as temporary:
        temporary.write_text("half a fi", encoding="utf-8")
        raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8") == "old\n"
    with atomic_write(target) as temporary:
        temporary.write_text("new\n", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["clusters.jsonl"]


def test_only_html_imports_trafilatura(tmp_path: Path) -> None:
    """trafilatura takes most of a second to import: commands that read no HTML skip it."""
    (tmp_path / "a.txt").write_text("Plain words.", encoding="utf-8")
    (tmp_path / "b.html").write_text(ARTICLE_HTML, encoding="utf-8")
    code = (
        "import sys; from unspin.cli import app; from unspin.io import read_documents; "
        "list(read_documents([sys.argv[1]])); print('trafilatura' in sys.modules, end=' '); "
        "list(read_documents([sys.argv[2]])); print('trafilatura' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "a.txt"), str(tmp_path / "b.html")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split() == ["False", "True"]


# --- HTML ------------------------------------------------------------------------------------


def test_html_main_text_without_boilerplate(tmp_path: Path) -> None:
    path = tmp_path / "ferry.html"
    path.write_text(ARTICLE_HTML, encoding="utf-8")
    (doc,) = documents(read_all(path))
    assert doc.id == "ferry.html"
    assert "The island ferry sailed again on Monday" in doc.text
    assert "Timetables return to normal on Wednesday" in doc.text
    assert "TRACKER_SCRIPT_PAYLOAD" not in doc.text
    assert "color: red" not in doc.text
    assert "Subscribe to our newsletter" not in doc.text
    assert doc.title is not None and "Ferry service" in doc.title
    assert doc.site == "The Harbour Gazette"
    assert doc.published == "2022-11-08"


def test_html_declared_charset_is_used(tmp_path: Path) -> None:
    body = "<p>The café owner called it a “remarkable” week for the whole street, by far.</p>"
    page = f'<html><head><meta charset="ISO-8859-1"></head><body>{body}</body></html>'
    path = tmp_path / "old.htm"
    # Browsers read ISO-8859-1 as windows-1252, which has the curly quotes.
    path.write_bytes(page.encode("cp1252"))
    (doc,) = documents(read_all(path))
    assert "café owner called it a “remarkable” week" in doc.text


def test_html_without_charset_falls_back_to_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "legacy.html"
    path.write_bytes(
        b"<html><body><p>Na\xefve residents welcomed the caf\xe9 opening.</p></body></html>"
    )
    (doc,) = documents(read_all(path))
    assert "Naïve residents welcomed the café opening." in doc.text


@pytest.mark.parametrize(
    "page",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "<html><body>" + "<div>" * 10_000 + "<p>Deep inside.</p>" + "</div>" * 10_000,
        "<html><body><p>Unclosed <b><i>tags <table><tr><td>everywhere</p></div></span>",
        "<!-- never closed comment <p>text</p>",
        '<?xml version="1.0" encoding="utf-8"?><html><body><p>Declared XML.</p></body></html>',
        '<html><head><meta charset="unicode_escape"></head><body><p>\\x41 odd.</p></body></html>',
        '<html><head><meta charset="no-such-codec"></head><body><p>Fine text.</p></body></html>',
    ],
)
def test_hostile_html_never_crashes(tmp_path: Path, page: str) -> None:
    path = tmp_path / "hostile.html"
    path.write_text(page, encoding="utf-8")
    results = read_all(path)
    assert len(results) == 1
    result = results[0]
    if isinstance(result, Document):
        assert "alert(1)" not in result.text
        assert result.text.strip()
    else:
        assert result.where == str(path)


def test_html_script_only_has_no_article(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><body><script>alert(1)</script></body></html>", encoding="utf-8")
    assert only_bad(path).reason == "no article text found in HTML"


# --- JSON lines ------------------------------------------------------------------------------


def test_jsonl_broken_lines_are_reported_and_reading_continues(tmp_path: Path) -> None:
    path = tmp_path / "archive.jsonl"
    lines = [
        json.dumps({"id": "a1", "text": "First story.", "url": "https://example.test/1"}),
        "",
        '{"id": "a2", "text": "Missing brace."',
        json.dumps({"id": 3, "text": "Numeric id.", "published": 2021, "unknown": [1]}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "a5"}),
        json.dumps({"id": "a6", "text": 42}),
        json.dumps({"id": "", "text": "Empty id."}),
        json.dumps({"id": "a8", "text": "Bad title.", "title": {"x": 1}}),
        '{"id": "a9", "text": "Lone \\ud83d half."}',
        json.dumps({"id": "a10", "text": "Last story.", "title": None}),
    ]
    raw = "\n".join(lines).encode("utf-8") + b"\n" + b'{"id": "a11", "text": "bad \xff"}\n'
    path.write_bytes(raw)

    results = read_all(path)

    assert documents(results) == [
        Document(id="a1", text="First story.", url="https://example.test/1"),
        Document(id="3", text="Numeric id.", published="2021"),
        Document(id="a10", text="Last story."),
    ]
    reasons = {r.where.rsplit(":", 1)[1]: r.reason for r in bad(results)}
    assert set(reasons) == {"3", "5", "6", "7", "8", "9", "10", "12"}
    assert reasons["3"].startswith("line is not valid JSON:")
    assert reasons["5"] == "line is not a JSON object (got array)"
    assert reasons["6"] == "missing field 'text'"
    assert reasons["7"] == "field 'text' must be a string, not number"
    assert reasons["8"] == "field 'id' is empty"
    assert reasons["9"] == "field 'title' must be a string or number, not object"
    assert "surrogate" in reasons["10"]
    assert reasons["12"] == "not valid UTF-8 (byte 0xff at offset 27)"
    assert bad(results)[0].where == f"{path}:3"


def test_jsonl_truncated_at_eof(tmp_path: Path) -> None:
    path = tmp_path / "cut.jsonl"
    good = json.dumps({"id": "ok", "text": "Complete record."})
    path.write_text(good + '\n{"id": "cut", "text": "The write stopp', encoding="utf-8")
    results = read_all(path)
    assert documents(results) == [Document(id="ok", text="Complete record.")]
    (record,) = bad(results)
    assert record.where == f"{path}:2"
    assert record.reason.startswith("line is not valid JSON: Unterminated string")


def test_jsonl_line_over_the_limit_is_skipped_without_loading_it(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    with path.open("wb") as file:
        file.write(b'{"id": "big", "text": "')
        for _ in range(30):
            file.write(b"spam " * 200_000)  # 30 MB in all
        file.write(b'"}\n')
        file.write(json.dumps({"id": "next", "text": "Still read."}).encode() + b"\n")

    tracemalloc.start()
    try:
        results = read_all(path, max_document_bytes=1_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert results[0] == BadRecord(f"{path}:1", "line too large (30.0 MB; limit 1 MB)")
    assert results[1:] == [Document(id="next", text="Still read.")]
    assert peak < 8_000_000


def test_jsonl_edge_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"\n\n")
    assert only_bad(empty) == BadRecord(str(empty), "no records in file")
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b'{"id": "x"}\x00\x00\x00' * 10)
    assert only_bad(binary) == BadRecord(str(binary), "binary file")
    deep = tmp_path / "deep.jsonl"
    deep.write_text("[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    assert only_bad(deep).where == f"{deep}:1"


def test_jsonl_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "win.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"id": "w", "text": "Windows line."}\r\n')
    assert read_all(path) == [Document(id="w", text="Windows line.")]


# --- CSV -------------------------------------------------------------------------------------


def test_csv_with_quotes_and_newlines(tmp_path: Path) -> None:
    path = tmp_path / "stories.csv"
    path.write_bytes(
        b"\xef\xbb\xbfID,Title,Text,extra\r\n"
        b'1,"Flood, again","The river rose\r\novernight, and ""everyone"" stayed home.",x\r\n'
        b"\r\n"
        b'2,,"Second story, plain.",\r\n'
    )
    assert read_all(path) == [
        Document(
            id="1",
            text='The river rose\r\novernight, and "everyone" stayed home.',
            title="Flood, again",
        ),
        Document(id="2", text="Second story, plain."),
    ]


def test_csv_with_old_mac_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes(b'id,text\r1,"Two\rlines."\r2,Plain.\r')
    assert read_all(path) == [
        Document(id="1", text="Two\rlines."),
        Document(id="2", text="Plain."),
    ]


def test_csv_bad_rows_are_reported_by_row_number(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_bytes(
        b"id,text\n1,Good first.\n2,\n3,Split,over,columns\n4,caf\xe9 latin\n5\n6,Good last.\n"
    )
    results = read_all(path)
    assert documents(results) == [
        Document(id="1", text="Good first."),
        Document(id="6", text="Good last."),
    ]
    assert [str(r) for r in bad(results)] == [
        f"{path}:row 3: empty document",
        f"{path}:row 4: row has 4 fields but the header has 2",
        f"{path}:row 5: not valid UTF-8 (byte 0xe9 in field 'text')",
        f"{path}:row 6: missing field 'text'",
    ]


def test_csv_header_without_required_columns(tmp_path: Path) -> None:
    path = tmp_path / "wrong.csv"
    path.write_text("name,body\nx,Some text.\n", encoding="utf-8")
    assert only_bad(path) == BadRecord(str(path), "CSV header has no 'id' or 'text' column")


def test_csv_field_over_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    long_line = f'1,"{"word " * 50}"\n'
    path.write_text(f"id,text\n{long_line}2,Short one.\n", encoding="utf-8")
    results = read_all(path, max_document_bytes=100)
    assert results[1:] == [Document(id="2", text="Short one.")]
    reason = f"line too large ({len(long_line)} bytes; limit 100 bytes)"
    assert results[0] == BadRecord(f"{path}:row 2", reason)


# --- stdin -----------------------------------------------------------------------------------


def test_stdin_text_and_html() -> None:
    text = read_document_stdin(io.BytesIO(b"\xef\xbb\xbfPlain words\r\n"))
    assert text == Document(id="<stdin>", text="Plain words\r\n")
    page = read_document_stdin(io.BytesIO(b"\n  " + ARTICLE_HTML.encode()), name="page")
    assert page.id == "page"
    assert "The island ferry sailed again" in page.text
    assert "TRACKER_SCRIPT_PAYLOAD" not in page.text


def test_stdin_over_the_limit() -> None:
    with pytest.raises(InputError, match="input too large"):
        read_document_stdin(io.BytesIO(b"a" * 20_000_001))


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty document"),
        (b"\x00\x01binary", "binary file"),
        (b"ok \xc3", "not valid UTF-8 (byte 0xc3 at offset 3)"),
        (b"<html><script>x()</script></html>", "no article text found in HTML"),
    ],
)
def test_stdin_errors(content: bytes, reason: str) -> None:
    with pytest.raises(InputError) as caught:
        read_document_stdin(io.BytesIO(content), name="-")
    assert (caught.value.where, caught.value.reason) == ("-", reason)


# --- Parquet and WARC ------------------------------------------------------------------------


def test_warc_page_over_the_limit_is_skipped_and_the_next_one_read(tmp_path: Path) -> None:
    huge = Document("huge", "Harbour news. " * 400, url="https://news.example/huge")
    small = Document("small", "The ferry sailed again on Monday.", url="https://news.example/s")
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, [huge, small], gzip=True)
    results = read_all(path, max_document_bytes=2_000)
    assert results[0] == BadRecord(f"{path}:record 1", "page too large (limit 2,000 bytes)")
    assert [d.id for d in documents(results)] == ["https://news.example/s"]


@pytest.mark.parametrize("suffix", [".warc", ".warc.gz"])
def test_truncated_warc_keeps_the_whole_records(tmp_path: Path, suffix: str) -> None:
    pages = [
        Document(str(n), f"Story number {n} about the harbour.", url=f"https://news.example/{n}")
        for n in range(3)
    ]
    data = write_warc(tmp_path / f"whole{suffix}", pages, gzip=suffix == ".warc.gz")
    path = tmp_path / f"cut{suffix}"
    path.write_bytes(data[: len(data) - 40])
    results = read_all(path)
    assert [d.id for d in documents(results)] == [
        "https://news.example/0",
        "https://news.example/1",
    ]
    [broken] = bad(results)
    assert broken == BadRecord(
        f"{path}:record 3", "truncated WARC record (the file ends inside it)"
    )


def test_parquet_text_over_the_limit_is_one_bad_row(tmp_path: Path) -> None:
    path = tmp_path / "rows.parquet"
    rows = [{"id": "big", "text": "word " * 1_000}, {"id": "ok", "text": "A short story."}]
    pq.write_table(pa.Table.from_pylist(rows), path)
    results = read_all(path, max_document_bytes=2_000)
    assert results == [
        BadRecord(f"{path}:row 1", "text too large (5,000 bytes; limit 2,000 bytes)"),
        Document("ok", "A short story."),
    ]


# --- never raises ----------------------------------------------------------------------------

_JSONISH = st.sampled_from([b"", b"{", b"}", b'"', b"\n", b",", b'{"id": 1, "text": "', b"\r"])


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    suffix=st.sampled_from(SUPPORTED_SUFFIXES),
    content=st.one_of(
        st.binary(max_size=3000),
        st.lists(st.one_of(_JSONISH, st.binary(max_size=20)), max_size=60).map(b"".join),
        st.text(max_size=500).map(lambda s: s.encode("utf-8", "surrogatepass")),
    ),
)
def test_random_bytes_never_raise(tmp_path: Path, suffix: str, content: bytes) -> None:
    path = tmp_path / f"random{suffix}"
    path.write_bytes(content)
    for result in read_documents([path], max_document_bytes=2000):
        assert isinstance(result, Document | BadRecord)
        if isinstance(result, Document):
            assert result.text.strip() and result.id
            assert any(char.isalpha() for char in result.text)

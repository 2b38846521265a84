"""WARC files (web crawls, plain or gzipped): each HTML response as a Document.

A crawl of millions of pages always holds some broken records. A record
warcio cannot parse is reported, and reading resumes at the next place a
record can start (the next gzip member, or ``WARC/1.`` line).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from unspin.io.records import BadRecord, Item, megabytes, short_error
from unspin.io.text import extract_html, open_regular

_MARKERS = {True: b"\x1f\x8b\x08", False: b"WARC/1."}
"""Where a record can start: a gzip member (``.warc.gz``) or a WARC header line."""
_RESYNC_CHUNK = 1 << 20


def read_warc(path: Path, doc_id: str, where: str, max_bytes: int) -> Iterator[Item]:
    """HTML responses of a ``.warc`` file as Documents (id: the target URI)."""
    return _read(path, where, max_bytes, compressed=False)


def read_warc_gz(path: Path, doc_id: str, where: str, max_bytes: int) -> Iterator[Item]:
    """HTML responses of a ``.warc.gz`` file as Documents (id: the target URI)."""
    return _read(path, where, max_bytes, compressed=True)


def _read(path: Path, where: str, max_bytes: int, *, compressed: bool) -> Iterator[Item]:
    try:
        from warcio.archiveiterator import ArchiveIterator  # type: ignore[import-untyped]
    except ImportError:
        yield BadRecord(where, "reading WARC files needs warcio: pip install 'unspin[scan]'")
        return

    class QuietIterator(ArchiveIterator):  # type: ignore[misc]
        # warcio prints a warning for every record whose Content-Length is wrong; such a
        # record is reported as a bad record instead (see ``err_count`` below).
        INC_RECORD = ""

    marker = _MARKERS[compressed]
    number = 0
    with open_regular(path, where) as file:
        if not file.read(len(marker) + 64).lstrip().startswith(marker):
            kind = "gzip-compressed WARC" if compressed else "WARC"
            yield BadRecord(where, f"not a {kind} file (it does not start like one)")
            return
        next_start: int | None = 0
        while next_start is not None:
            start = next_start
            file.seek(start)
            records = QuietIterator(file, check_digests=False)
            inside = False
            held: Item | None = None
            """The last record's document, yielded once the next record shows it ended
            where its Content-Length said."""
            errors = 0
            try:
                for record in records:
                    if records.err_count != errors:
                        errors = records.err_count
                        held = _wrong_length(f"{where}:record {number}")
                    if held is not None:
                        yield held
                        held = None
                    number += 1
                    inside = True
                    held = _document(record, f"{where}:record {number}", max_bytes)
                    inside = False
                if records.err_count != errors:
                    held = _wrong_length(f"{where}:record {number}")
                if held is not None:
                    yield held
                next_start = None
            except Exception as error:  # warcio raises many types for broken records
                if held is not None:
                    yield held
                if not inside:  # it broke while finding the next record
                    number += 1
                yield BadRecord(
                    f"{where}:record {number}", f"unreadable WARC record ({short_error(error)})"
                )
                # warcio's offset is where the broken record starts (absolute in the file).
                broken_at = int(getattr(records, "offset", start))
                next_start = _next_marker(file, max(broken_at, start), marker)
    if number == 0:
        yield BadRecord(where, "no records in file")


def _wrong_length(at: str) -> BadRecord:
    return BadRecord(
        at, "truncated WARC record (its Content-Length runs past where the next record starts)"
    )


def _document(record: object, at: str, max_bytes: int) -> Item | None:
    """An HTML page as a Document; other records are None.

    Requests, metadata, images and redirects or error pages (HTTP status
    other than 2xx) are a normal part of a crawl, not bad records.
    """
    rec_type = getattr(record, "rec_type", None)
    if rec_type != "response":
        return None
    http_headers = getattr(record, "http_headers", None)
    if http_headers is not None:
        status = str(http_headers.get_statuscode() or "")
        if status and not status.startswith("2"):
            return None
        content_type = http_headers.get_header("Content-Type")
        if content_type and "html" not in content_type.lower():
            return None
    headers = getattr(record, "rec_headers")  # noqa: B009 - warcio is untyped
    uri = headers.get_header("WARC-Target-URI") or at
    stream = record.content_stream()  # type: ignore[attr-defined]
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        # The rest of the record is skipped by warcio when it moves to the next one.
        return BadRecord(at, f"page too large (limit {megabytes(max_bytes)})")
    if getattr(getattr(record, "raw_stream", None), "limit", 0) > 0:
        # The file ended inside the record (a cut download): what is there is part of a page.
        return BadRecord(at, "truncated WARC record (the file ends inside it)")
    document = extract_html(data, at, doc_id=uri)
    if isinstance(document, BadRecord):
        return document
    return document if document.url is not None else replace(document, url=uri)


def _next_marker(file: BinaryIO, after: int, marker: bytes) -> int | None:
    """Offset of the next ``marker`` strictly after ``after`` in ``file``, or None."""
    position = after + 1
    file.seek(position)
    tail = b""
    while True:
        chunk = file.read(_RESYNC_CHUNK)
        if not chunk:
            return None
        data = tail + chunk
        found = data.find(marker)
        if found >= 0:
            return position - len(tail) + found
        position += len(chunk)
        tail = data[-(len(marker) - 1) :]

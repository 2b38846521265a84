"""Read crawls: JSON lines, CSV, Parquet and WARC files, record by record.

A crawl of millions of pages always holds some broken records, so nothing
here raises on bad input: every record that cannot be used comes out as a
:class:`~unspin.ingest.BadRecord` naming the file and record, and reading goes
on with the next one. JSON lines and CSV go through :func:`unspin.ingest.read_documents`;
Parquet rows through :func:`unspin.ingest.record_to_document` (the same field
rules as a JSON line); WARC responses through :func:`unspin.ingest.extract_html`
(the same HTML extraction as an ``.html`` file).

Every record gets a *position*: its file's number among the inputs and its
place in that file. Positions are stable from run to run, which is what lets
a scan resume and both engines write rows in the same order.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from unspin.ingest import BadRecord, extract_html, read_documents, record_to_document
from unspin.model import Document

CRAWL_SUFFIXES = (".jsonl", ".csv", ".parquet", ".warc", ".warc.gz")
_SUFFIX_LIST = ".jsonl, .csv, .parquet, .warc or .warc.gz"
_RECORD_FIELDS = ("id", "text", "url", "title", "site", "published")
_PARQUET_BATCH = 1024
_POSITION_BITS = 40
"""A position packs (file number, record number) into one integer: 2**40 records per file."""
_WARC_MARKERS = {True: b"\x1f\x8b\x08", False: b"WARC/1."}
"""Where a record can start: a gzip member (``.warc.gz``) or a WARC header line."""
_RESYNC_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class CrawlRecord:
    """A document or a bad record, with its stable position among all inputs."""

    position: int
    item: Document | BadRecord


def crawl_files(inputs: Sequence[str | Path]) -> tuple[list[Path], list[BadRecord]]:
    """The crawl files named by ``inputs`` (folders walked in name order), and the problems.

    Hidden files are skipped, as are files of other types inside a folder; a
    file of another type named directly is a problem.
    """
    files: list[Path] = []
    problems: list[BadRecord] = []
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and crawl_suffix(p) is not None
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                problems.append(BadRecord(str(given), f"no {_SUFFIX_LIST} files in folder"))
            files.extend(found)
        elif not path.exists():
            problems.append(BadRecord(str(given), "no such file or folder"))
        elif crawl_suffix(path) is None:
            problems.append(
                BadRecord(str(given), f"unsupported file type; expected {_SUFFIX_LIST}")
            )
        else:
            files.append(path)
    return files, problems


def crawl_suffix(path: Path) -> str | None:
    """The crawl format of a file name (``.warc.gz`` counts as one suffix), or None."""
    name = path.name.lower()
    return next((suffix for suffix in CRAWL_SUFFIXES if name.endswith(suffix)), None)


def read_crawl(files: Sequence[Path]) -> Iterator[CrawlRecord]:
    """Every record of ``files`` in order; see :func:`read_crawl_file`."""
    for number, path in enumerate(files):
        yield from read_crawl_file(path, number)


def read_crawl_file(path: Path, file_number: int) -> Iterator[CrawlRecord]:
    """Every document of one crawl file, and a BadRecord for each record it cannot use."""
    base = file_number << _POSITION_BITS
    suffix = crawl_suffix(path)
    items: Iterator[Document | BadRecord]
    if suffix == ".parquet":
        items = _read_parquet(path)
    elif suffix in (".warc", ".warc.gz"):
        items = _read_warc(path, compressed=suffix == ".warc.gz")
    else:
        items = read_documents([path])
    for offset, item in enumerate(items):
        yield CrawlRecord(base + offset, item)


def estimate_records(files: Sequence[Path]) -> int | None:
    """About how many records ``files`` hold (for a progress bar), or None when unknown.

    Parquet knows its row count; JSON lines and CSV are counted by lines
    (cheap next to checking them); WARC cannot be counted without reading it.
    """
    total = 0
    for path in files:
        suffix = crawl_suffix(path)
        try:
            if suffix == ".parquet":
                import pyarrow.parquet as pq

                total += int(pq.ParquetFile(path).metadata.num_rows)
            elif suffix in (".jsonl", ".csv"):
                with path.open("rb") as file:
                    lines = sum(
                        chunk.count(b"\n") for chunk in iter(lambda: file.read(1 << 20), b"")
                    )
                total += max(lines - (suffix == ".csv"), 0)
            else:
                return None
        except Exception:  # a broken file is reported when read, not here
            return None
    return total


def site_of(document: Document) -> str:
    """Who published a document: its site, else its URL's host, else ``(unknown)``."""
    if document.site:
        return document.site
    if document.url:
        host = urlsplit(document.url).hostname
        if host:
            return host.removeprefix("www.")
    return "(unknown)"


# --- Parquet ---------------------------------------------------------------------------------


def _read_parquet(path: Path) -> Iterator[Document | BadRecord]:
    """One Document per row; a corrupt row group is skipped as a whole and reported."""
    import pyarrow.parquet as pq

    where = str(path)
    try:
        parquet = pq.ParquetFile(path)
    except Exception as error:  # pyarrow raises several types for a file that is not Parquet
        yield BadRecord(where, f"not a readable Parquet file ({_short(error)})")
        return
    names = set(parquet.schema_arrow.names)
    missing = [f"'{name}'" for name in ("id", "text") if name not in names]
    if missing:
        yield BadRecord(where, f"Parquet file has no {' or '.join(missing)} column")
        return
    columns = [name for name in _RECORD_FIELDS if name in names]
    row = 0
    for group in range(parquet.num_row_groups):
        group_rows = parquet.metadata.row_group(group).num_rows
        try:
            table = parquet.read_row_group(group, columns=columns)
        except Exception as error:
            yield BadRecord(
                f"{where}:rows {row + 1}-{row + group_rows}",
                f"unreadable Parquet row group {group} ({_short(error)})",
            )
            row += group_rows
            continue
        for batch in table.to_batches(_PARQUET_BATCH):
            for fields in batch.to_pylist():
                row += 1
                yield record_to_document(fields, f"{where}:row {row}")
    if parquet.metadata.num_rows == 0:
        yield BadRecord(where, "no records in file")


# --- WARC ------------------------------------------------------------------------------------


def _read_warc(path: Path, *, compressed: bool) -> Iterator[Document | BadRecord]:
    """HTML responses of a WARC file as Documents (id: the target URI).

    A record warcio cannot parse is reported, and reading resumes at the next
    place a record can start (the next gzip member, or ``WARC/1.`` line).
    """
    from warcio.archiveiterator import ArchiveIterator  # type: ignore[import-untyped]

    where = str(path)
    marker = _WARC_MARKERS[compressed]
    number = 0
    try:
        file: BinaryIO = path.open("rb")
    except OSError as error:
        yield BadRecord(where, f"cannot read ({error.strerror or error})")
        return
    with file:
        next_start: int | None = 0
        while next_start is not None:
            start = next_start
            file.seek(start)
            records = ArchiveIterator(file, check_digests=False)
            inside = False
            try:
                for record in records:
                    number += 1
                    inside = True
                    item = _warc_document(record, f"{where}:record {number}")
                    inside = False
                    if item is not None:
                        yield item
                next_start = None
            except Exception as error:  # warcio raises many types for broken records
                if not inside:  # it broke while finding the next record
                    number += 1
                yield BadRecord(
                    f"{where}:record {number}", f"unreadable WARC record ({_short(error)})"
                )
                # warcio's offset is where the broken record starts (absolute in the file).
                broken_at = int(getattr(records, "offset", start))
                next_start = _next_marker(file, max(broken_at, start), marker)
    if number == 0:
        yield BadRecord(where, "no records in file")


def _warc_document(record: object, at: str) -> Document | BadRecord | None:
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
    data = record.content_stream().read()  # type: ignore[attr-defined]
    document = extract_html(data, at, doc_id=uri)
    if isinstance(document, BadRecord):
        return document
    if document.url is None:
        document = Document(
            document.id, document.text, uri, document.title, document.site, document.published
        )
    return document


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


def _short(error: BaseException) -> str:
    """An error as one short printable line (parsers quote the broken bytes back)."""
    lines = str(error).splitlines()
    text = (
        "".join(c if c.isprintable() and ord(c) < 0x7F else "?" for c in lines[0][:80])
        if lines
        else ""
    )
    return f"{type(error).__name__}: {text}" if text else type(error).__name__

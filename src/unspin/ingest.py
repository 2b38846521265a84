"""Read articles from files and folders: ``.txt``, ``.html``/``.htm``, ``.jsonl`` and ``.csv``.

Input comes from scrapers and archives, so it is often broken: wrong encodings,
truncated lines, binary files with a text extension, hostile HTML. Nothing here
raises on bad input. :func:`read_documents` yields a :class:`BadRecord` for
each file, line or row it cannot use and carries on with the rest;
:func:`read_document_stdin` raises :class:`~unspin.errors.InputError`.

Text is kept exactly as decoded (only a byte order mark is dropped), because
every offset the pipeline reports points into it.
"""

from __future__ import annotations

import codecs
import csv
import json
import os
import re
import stat
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import trafilatura

from unspin.errors import InputError
from unspin.model import Document

DEFAULT_MAX_DOCUMENT_BYTES = 20_000_000
"""Largest article (or JSON line / CSV field) read; real articles are a few KB."""

SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".csv")
_SUFFIX_LIST = ".txt, .html, .htm, .jsonl or .csv"
_HTML_SUFFIXES = frozenset({".html", ".htm"})

_SNIFF_BYTES = 8192
_MAX_CONTROL_SHARE = 0.30
# C0 controls other than tab, newline, vertical tab, form feed and carriage return, plus DEL.
_CONTROL_BYTES = frozenset(range(0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D} | {0x7F}
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)

_UTF8_BOM = codecs.BOM_UTF8
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_CHARSET_RE = re.compile(rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([a-z0-9_.:-]{1,40})""", re.I)
# Browsers (WHATWG Encoding) read these labels as windows-1252, and pages rely on it.
_AS_CP1252 = frozenset({"ascii", "iso8859-1"})
# Python codecs that no web page means: they rewrite text or fail oddly.
_REFUSED_CODECS = frozenset({"idna", "punycode", "raw-unicode-escape", "unicode-escape", "utf-7"})

_LONE_CR = re.compile(r"(?<=\r)(?!\n)")
# How errors="surrogateescape" marks an undecodable byte (0x80-0xff).
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")

_RECORD_FIELDS = ("url", "title", "site", "published")


@dataclass(frozen=True, slots=True)
class BadRecord:
    """A file, JSON line or CSV row that could not be read, and why.

    ``where`` is the path, ``path:LINE`` (1-based) for a JSON line or
    ``path:row N`` for a CSV row (spreadsheet numbering: the header is row 1).
    """

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


def read_documents(
    paths: Sequence[str | Path], *, max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
) -> Iterator[Document | BadRecord]:
    """Yield every article in ``paths`` (files or folders), and a BadRecord for each problem.

    Folders are walked recursively in name order, taking supported files and
    skipping hidden ones; a file inside a folder gets its path relative to
    that folder (POSIX separators) as id, a file given directly its name.
    JSON lines and CSV files are streamed, one record at a time.
    """
    if isinstance(paths, str | Path):  # a bare string is a Sequence too: one path, not characters
        paths = [paths]
    for given in paths:
        path = Path(given)
        where = str(given)
        try:
            info = path.stat()
        except FileNotFoundError:
            yield BadRecord(where, "no such file or folder")
            continue
        except OSError as error:
            yield BadRecord(where, _os_reason(error))
            continue
        if stat.S_ISDIR(info.st_mode):
            found_any = False
            for item in _walk(path, "", {_inode(info)}):
                found_any = True
                if isinstance(item, BadRecord):
                    yield item
                else:
                    yield from _read_file(path / item, item, max_document_bytes)
            if not found_any:  # else a typo'd folder would silently index nothing
                yield BadRecord(where, f"no {_SUFFIX_LIST} files in folder")
        elif _suffix(path) not in SUPPORTED_SUFFIXES:
            shown = f"'{_suffix(path)}'" if _suffix(path) else "(no extension)"
            yield BadRecord(where, f"unsupported file type {shown}; expected {_SUFFIX_LIST}")
        else:
            yield from _read_file(path, path.name, max_document_bytes, where=where)


def read_document_stdin(stream: BinaryIO, *, name: str = "<stdin>") -> Document:
    """Read one article from a byte stream, as HTML when it starts like an HTML page.

    Applies the same checks as a ``.txt`` file; raises ``InputError(name, reason)``.
    """
    try:
        data = stream.read(DEFAULT_MAX_DOCUMENT_BYTES + 1)
    except OSError as error:
        raise InputError(name, _os_reason(error)) from error
    if len(data) > DEFAULT_MAX_DOCUMENT_BYTES:
        raise InputError(name, f"input too large (limit {_megabytes(DEFAULT_MAX_DOCUMENT_BYTES)})")
    head = data[:1024].removeprefix(_UTF8_BOM).lstrip().lower()
    is_html = head.startswith((b"<!doctype html", b"<html"))
    return _document_from_bytes(data, name, name, html=is_html)


def extract_html(data: bytes, where: str, *, doc_id: str | None = None) -> Document | BadRecord:
    """One HTML page (raw bytes, e.g. a crawl record) as a Document, or a BadRecord saying why not.

    Applies the same decoding, extraction and checks as an ``.html`` file;
    ``doc_id`` defaults to ``where``.
    """
    try:
        return _document_from_bytes(data, doc_id or where, where, html=True)
    except InputError as error:
        return BadRecord(error.where, error.reason)


def record_to_document(
    fields: Mapping[str, object],
    where: str,
    *,
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES,
) -> Document | BadRecord:
    """A Document from a record's fields (id, text, url, title, site, published), or a BadRecord.

    The same rules as a JSON line: used for other record formats such as Parquet rows.
    """
    try:
        return _record_to_document(fields, where, max_document_bytes)
    except InputError as error:
        return BadRecord(error.where, error.reason)


# --- files and folders -----------------------------------------------------------------------


def _walk(root: Path, prefix: str, seen: set[tuple[int, int]]) -> Iterator[str | BadRecord]:
    """Yield the supported files under ``root/prefix`` as POSIX paths relative to ``root``."""
    folder = root / prefix if prefix else root
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as error:
        yield BadRecord(str(folder), _os_reason(error))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        relative = f"{prefix}/{entry.name}" if prefix else entry.name
        try:
            if entry.is_dir():
                # Symlinked folders are followed, but each folder only once: no loops.
                inode = _inode(entry.stat())
                if inode not in seen:
                    seen.add(inode)
                    yield from _walk(root, relative, seen)
            elif entry.is_file() and _suffix(Path(entry.name)) in SUPPORTED_SUFFIXES:
                yield relative
        except OSError as error:
            yield BadRecord(str(root / relative), _os_reason(error))


def _read_file(
    path: Path, doc_id: str, max_bytes: int, *, where: str | None = None
) -> Iterator[Document | BadRecord]:
    """Read one supported file; every problem becomes a BadRecord."""
    where = where or str(path)
    suffix = _suffix(path)
    try:
        if suffix == ".jsonl":
            yield from _read_jsonl(path, where, max_bytes)
        elif suffix == ".csv":
            yield from _read_csv(path, where, max_bytes)
        else:
            data = _read_whole(path, where, max_bytes)
            yield _document_from_bytes(data, doc_id, where, html=suffix in _HTML_SUFFIXES)
    except InputError as error:
        yield BadRecord(error.where, error.reason)
    except OSError as error:
        yield BadRecord(where, _os_reason(error))


def _open_regular(path: Path, where: str) -> BinaryIO:
    """Open a regular file for reading; a FIFO or device would block or never end."""
    if not stat.S_ISREG(path.stat().st_mode):
        raise InputError(where, "not a regular file")
    return path.open("rb")


def _read_whole(path: Path, where: str, max_bytes: int) -> bytes:
    """Read a whole file, refusing one over ``max_bytes`` before reading it."""
    with _open_regular(path, where) as file:
        size = os.fstat(file.fileno()).st_size
        if size > max_bytes:
            raise InputError(where, _too_large("file", size, max_bytes))
        data = file.read(max_bytes + 1)  # the file may have grown since fstat
    if len(data) > max_bytes:
        raise InputError(where, _too_large("file", len(data), max_bytes))
    return data


# --- one whole document ----------------------------------------------------------------------


def _document_from_bytes(data: bytes, doc_id: str, where: str, *, html: bool) -> Document:
    """Check, decode and (for HTML) extract one article; raises InputError."""
    if not data.strip():
        raise InputError(where, "empty document")
    text = _decode(data, where, html=html)
    document = _extract_html(text, doc_id, where) if html else Document(id=doc_id, text=text)
    _check_text(document.text, where)
    return document


def _decode(data: bytes, where: str, *, html: bool) -> str:
    """Bytes to text: UTF-8 (or UTF-16 with a BOM); for HTML also its declared charset."""
    if data.startswith(_UTF16_BOMS):
        try:
            text = data.decode("utf-16")  # consumes the BOM
        except UnicodeDecodeError as error:
            raise InputError(where, f"not valid UTF-16 (at byte offset {error.start})") from None
        if _looks_binary(text[:_SNIFF_BYTES].encode("utf-8")):
            raise InputError(where, "binary file")
        return text
    if _looks_binary(data[:_SNIFF_BYTES]):
        raise InputError(where, "binary file")
    if html:
        return _decode_html(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(where, _utf8_reason(error)) from None
    return text.removeprefix("\ufeff")


def _decode_html(data: bytes) -> str:
    """Decode an HTML page: a BOM, else the declared charset, else UTF-8, else windows-1252."""
    if data.startswith(_UTF8_BOM):
        return data[len(_UTF8_BOM) :].decode("utf-8", errors="replace")
    for encoding in (_declared_charset(data[:4096]), "utf-8"):
        if encoding is None:
            continue
        try:
            return data.decode(encoding).removeprefix("\ufeff")
        except UnicodeError:
            continue
    # windows-1252 leaves five bytes undefined; a replacement character beats losing the page.
    return data.decode("cp1252", errors="replace")


def _declared_charset(head: bytes) -> str | None:
    """The Python codec for the page's ``<meta charset>``, or None when absent or unusable."""
    found = _CHARSET_RE.search(head)
    if found is None:
        return None
    try:
        name = codecs.lookup(found.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    if name in _REFUSED_CODECS or name.startswith(("utf-16", "utf-32")):
        # A meta tag read from ASCII-compatible bytes cannot truly be UTF-16 (WHATWG says UTF-8).
        return None
    return "cp1252" if name in _AS_CP1252 else name


def _extract_html(html: str, doc_id: str, where: str) -> Document:
    """The main article text and metadata of a page, via trafilatura."""
    try:
        result = trafilatura.bare_extraction(
            html, include_comments=False, favor_recall=True, with_metadata=True
        )
        fields = result.as_dict() if isinstance(result, trafilatura.settings.Document) else {}
    except Exception as error:  # hostile markup can break any part of the parser
        raise InputError(where, f"could not parse HTML ({type(error).__name__})") from None
    text = fields.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(where, "no article text found in HTML")
    return Document(
        id=doc_id,
        text=text,
        url=_optional_str(fields.get("url")),
        title=_optional_str(fields.get("title")),
        site=_optional_str(fields.get("sitename")) or _optional_str(fields.get("hostname")),
        published=_optional_str(fields.get("date")),
    )


def _optional_str(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


# --- JSON lines and CSV ----------------------------------------------------------------------


class _LineTooLong(Exception):
    """Raised by :class:`_BoundedLines` for a line over the limit (already skipped)."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


class _BoundedLines:
    """The lines of a binary file, never holding more than ``limit`` bytes of one line.

    An over-long line is skipped and reported by raising :class:`_LineTooLong`;
    iteration can go on after it (a generator could not, hence a class).
    """

    def __init__(self, file: BinaryIO, limit: int) -> None:
        self._file = file
        self._limit = limit
        self.number = 0

    def __iter__(self) -> _BoundedLines:
        return self

    def __next__(self) -> bytes:
        line = self._file.readline(self._limit + 1)
        if not line:
            raise StopIteration
        self.number += 1
        if len(line) > self._limit and not line.endswith(b"\n"):
            size = len(line)
            while line and not line.endswith(b"\n"):
                line = self._file.readline(1 << 20)
                size += len(line)
            raise _LineTooLong(size)
        return line


class _TextLines:
    """:class:`_BoundedLines` decoded for :mod:`csv`; bad bytes survive as surrogates.

    A lone carriage return also ends a line, as :mod:`csv` expects (``newline=""``):
    older spreadsheet programs on the Mac wrote CSV that way.
    """

    def __init__(self, lines: _BoundedLines) -> None:
        self._lines = lines
        self._pending: deque[str] = deque()

    def __iter__(self) -> _TextLines:
        return self

    def __next__(self) -> str:
        while not self._pending:
            line = next(self._lines).decode("utf-8", errors="surrogateescape")
            if line.count("\r") == line.count("\r\n"):  # the common case, without a regex
                return line
            self._pending.extend(piece for piece in _LONE_CR.split(line) if piece)
        return self._pending.popleft()


def _open_stream(path: Path, where: str) -> BinaryIO:
    """Open a JSON lines or CSV file, refusing binary files (else one error per 'line')."""
    file = _open_regular(path, where)
    try:
        sample = file.read(_SNIFF_BYTES)
        if _looks_binary(sample.removeprefix(_UTF8_BOM)):
            raise InputError(where, "binary file")
        file.seek(0)
    except BaseException:
        file.close()
        raise
    return file


def _read_jsonl(path: Path, where: str, max_bytes: int) -> Iterator[Document | BadRecord]:
    """One Document per JSON object line; a BadRecord per broken line."""
    found_any = False
    with _open_stream(path, where) as file:
        lines = _BoundedLines(file, max_bytes)
        while True:
            try:
                line = next(lines)
            except StopIteration:
                break
            except _LineTooLong as error:
                found_any = True
                yield BadRecord(
                    f"{where}:{lines.number}", _too_large("line", error.size, max_bytes)
                )
                continue
            if lines.number == 1:
                line = line.removeprefix(_UTF8_BOM)
            if not line.strip():
                continue
            found_any = True
            at = f"{where}:{lines.number}"
            try:
                yield _record_to_document(_parse_json_line(line, at), at, max_bytes)
            except InputError as error:
                yield BadRecord(error.where, error.reason)
    if not found_any:
        yield BadRecord(where, "no records in file")


def _parse_json_line(line: bytes, at: str) -> Mapping[str, object]:
    try:
        decoded = line.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as error:
        raise InputError(at, _utf8_reason(error)) from None
    try:
        value = json.loads(decoded)
    except RecursionError:
        raise InputError(at, "line is not valid JSON: nested too deeply") from None
    except json.JSONDecodeError as error:
        # The message's own "line 1" would be confusing next to the file's line number.
        reason = f"line is not valid JSON: {error.msg} (column {error.colno})"
        raise InputError(at, reason) from None
    except ValueError as error:  # e.g. an integer with more digits than Python converts
        raise InputError(at, f"line is not valid JSON: {error}") from None
    if not isinstance(value, dict):
        raise InputError(at, f"line is not a JSON object (got {_json_type(value)})")
    return value


def _read_csv(path: Path, where: str, max_bytes: int) -> Iterator[Document | BadRecord]:
    """One Document per CSV row under a header naming at least ``id`` and ``text``."""
    # The limit is process-wide; only ever raise it, so readers of other files are not cut short.
    csv.field_size_limit(max(csv.field_size_limit(), max_bytes))
    with _open_stream(path, where) as file:
        rows = _csv_rows(csv.reader(_TextLines(_BoundedLines(file, max_bytes))), where, max_bytes)
        header = next(rows, None)
        if isinstance(header, BadRecord):
            yield header  # without a header no later row can be understood
            return
        if header is None:
            yield BadRecord(where, "no records in file")
            return
        _, header_row = header
        names = [cell.replace("\ufeff", "").strip().lower() for cell in header_row]
        missing = [f"'{name}'" for name in ("id", "text") if name not in names]
        if missing:
            yield BadRecord(where, f"CSV header has no {' or '.join(missing)} column")
            return
        # The first column of a name wins, like a spreadsheet lookup.
        wanted = ("id", "text", *_RECORD_FIELDS)
        columns = {name: names.index(name) for name in wanted if name in names}
        found_any = False
        for row in rows:
            found_any = True
            if isinstance(row, BadRecord):
                yield row
                continue
            number, cells = row
            at = f"{where}:row {number}"
            try:
                yield _csv_row_to_document(cells, columns, len(header_row), at, max_bytes)
            except InputError as error:
                yield BadRecord(error.where, error.reason)
        if not found_any:
            yield BadRecord(where, "no records in file")


def _csv_rows(
    reader: Iterator[list[str]], where: str, max_bytes: int
) -> Iterator[tuple[int, list[str]] | BadRecord]:
    """Non-blank rows with their spreadsheet row numbers; a BadRecord for each broken one."""
    number = 0
    while True:
        number += 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except _LineTooLong as error:
            yield BadRecord(f"{where}:row {number}", _too_large("line", error.size, max_bytes))
            continue
        except csv.Error as error:
            yield BadRecord(f"{where}:row {number}", f"broken CSV record: {error}")
            continue
        if any(cell.strip() for cell in row):
            yield number, row


def _csv_row_to_document(
    row: list[str], columns: Mapping[str, int], header_width: int, at: str, max_bytes: int
) -> Document:
    if len(row) > header_width:
        # Usually a quoting slip that split the text over columns: better refused than cut.
        raise InputError(at, f"row has {len(row)} fields but the header has {header_width}")
    fields = {name: row[index] for name, index in columns.items() if index < len(row)}
    for name, value in fields.items():
        bad = _ESCAPED_BYTE.search(value)
        if bad is not None:
            byte = ord(bad.group()) - 0xDC00
            raise InputError(at, f"not valid UTF-8 (byte 0x{byte:02x} in field '{name}')")
    return _record_to_document(fields, at, max_bytes)


def _record_to_document(fields: Mapping[str, object], at: str, max_bytes: int) -> Document:
    """A Document from the fields of a JSON line or CSV row; raises InputError."""
    doc_id = _record_field(fields, "id", at, numbers=True)
    text = _record_field(fields, "text", at, numbers=False)
    if doc_id is None:
        raise InputError(at, "missing field 'id'")
    if not doc_id.strip():
        raise InputError(at, "field 'id' is empty")
    if text is None:
        raise InputError(at, "missing field 'text'")
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise InputError(at, _too_large("text", size, max_bytes))
    _check_text(text, at)
    url, title, site, published = (
        _record_field(fields, name, at, numbers=True) or None for name in _RECORD_FIELDS
    )
    return Document(doc_id, text, url=url, title=title, site=site, published=published)


def _record_field(fields: Mapping[str, object], name: str, at: str, *, numbers: bool) -> str | None:
    """A string field of a record (numbers as text when allowed); None when absent or null."""
    value = fields.get(name)
    if value is None:
        return None
    if numbers and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        wanted = "a string or number" if numbers else "a string"
        raise InputError(at, f"field '{name}' must be {wanted}, not {_json_type(value)}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # JSON may escape half a surrogate pair ("\ud83d"); such a string cannot be written out.
        raise InputError(at, f"field '{name}' contains an unpaired surrogate escape") from None
    return value


# --- small helpers ---------------------------------------------------------------------------


def _check_text(text: str, where: str) -> None:
    """Refuse texts with nothing to match: blank, or without a single letter."""
    if not text.strip():
        raise InputError(where, "empty document")
    if not any(char.isalpha() for char in text):
        raise InputError(where, "no words in document")


def _looks_binary(sample: bytes) -> bool:
    """NUL bytes or many control characters: not text, whatever the extension says."""
    if b"\x00" in sample:
        return True
    controls = len(sample.translate(None, _NOT_CONTROL_BYTES))
    return bool(sample) and controls > _MAX_CONTROL_SHARE * len(sample)


def _utf8_reason(error: UnicodeDecodeError) -> str:
    return f"not valid UTF-8 (byte 0x{error.object[error.start]:02x} at offset {error.start})"


def _too_large(what: str, size: int, limit: int) -> str:
    return f"{what} too large ({_megabytes(size, exact=False)}; limit {_megabytes(limit)})"


def _megabytes(size: int, *, exact: bool = True) -> str:
    """``20 MB`` for a limit, ``50.0 MB`` for a measured size; bytes when tiny (as in tests)."""
    if size < 100_000:
        return f"{size:,} bytes"
    shown = f"{size / 1_000_000:.1f}"
    return f"{shown.removesuffix('.0') if exact else shown} MB"


def _json_type(value: object) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number")


def _suffix(path: Path) -> str:
    return path.suffix.lower()


def _inode(info: os.stat_result) -> tuple[int, int]:
    return (info.st_dev, info.st_ino)


def _os_reason(error: OSError) -> str:
    detail = error.strerror or str(error)
    return f"cannot read ({detail[:1].lower()}{detail[1:]})"

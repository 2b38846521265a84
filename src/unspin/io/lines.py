"""Line formats: JSON lines and CSV, streamed one record at a time.

A line (or CSV field) over the size limit is skipped without ever being held
in memory, and every broken line or row is reported by its number while
reading goes on.
"""

from __future__ import annotations

import csv
import json
import re
from collections import deque
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from unspin.errors import InputError
from unspin.io.records import METADATA_FIELDS, BadRecord, Item, json_type, parse_record, too_large
from unspin.io.text import UTF8_BOM, open_text_stream, utf8_reason
from unspin.model import Document

_LONE_CR = re.compile(r"(?<=\r)(?!\n)")
# How errors="surrogateescape" marks an undecodable byte (0x80-0xff).
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def read_jsonl(path: Path, doc_id: str, where: str, max_bytes: int) -> Iterator[Item]:
    """One Document per JSON object line; a BadRecord per broken line."""
    found_any = False
    with open_text_stream(path, where) as file:
        lines = _BoundedLines(file, max_bytes)
        while True:
            try:
                line = next(lines)
            except StopIteration:
                break
            except _LineTooLong as error:
                found_any = True
                yield BadRecord(f"{where}:{lines.number}", too_large("line", error.size, max_bytes))
                continue
            if lines.number == 1:
                line = line.removeprefix(UTF8_BOM)
            if not line.strip():
                continue
            found_any = True
            at = f"{where}:{lines.number}"
            try:
                yield parse_record(_parse_json_line(line, at), at, max_bytes)
            except InputError as error:
                yield BadRecord(error.where, error.reason)
    if not found_any:
        yield BadRecord(where, "no records in file")


def read_csv(path: Path, doc_id: str, where: str, max_bytes: int) -> Iterator[Item]:
    """One Document per CSV row under a header naming at least ``id`` and ``text``."""
    # The limit is process-wide; only ever raise it, so readers of other files are not cut short.
    csv.field_size_limit(max(csv.field_size_limit(), max_bytes))
    with open_text_stream(path, where) as file:
        # strict: a quote never closed is an error, not the rest of the file merged into one field.
        reader = csv.reader(_TextLines(_BoundedLines(file, max_bytes)), strict=True)
        rows = _csv_rows(reader, where, max_bytes)
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
        wanted = ("id", "text", *METADATA_FIELDS)
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


def count_lines(path: Path) -> int:
    """How many lines a file holds, read in chunks (cheap next to parsing them)."""
    with path.open("rb") as file:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: file.read(1 << 20), b""))


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


def _parse_json_line(line: bytes, at: str) -> Mapping[str, object]:
    try:
        decoded = line.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as error:
        raise InputError(at, utf8_reason(error)) from None
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
        raise InputError(at, f"line is not a JSON object (got {json_type(value)})")
    return value


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
            yield BadRecord(f"{where}:row {number}", too_large("line", error.size, max_bytes))
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
    return parse_record(fields, at, max_bytes)

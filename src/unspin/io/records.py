"""Bad records, and the rules every record format shares: a record's fields to a Document.

A JSON line, a CSV row and a Parquet row are all the same thing, a record
with ``id`` and ``text`` and optional ``url``, ``title``, ``site`` and
``published``, so one function turns any of them into a
:class:`~unspin.model.Document` and says in one line what is wrong when it
cannot.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from unspin.errors import InputError
from unspin.model import Document, is_storable_text

DEFAULT_MAX_DOCUMENT_BYTES = 20_000_000
"""Largest article (or record) read; real articles are a few KB."""

METADATA_FIELDS = ("url", "title", "site", "published")
RECORD_FIELDS = ("id", "text", *METADATA_FIELDS)


@dataclass(frozen=True, slots=True)
class BadRecord:
    """A file or record that could not be read, and why.

    ``where`` is the path, ``path:LINE`` (1-based) for a JSON line,
    ``path:row N`` for a CSV row (spreadsheet numbering: the header is row 1)
    or a Parquet row, and ``path:record N`` for a WARC record.
    """

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


Item = Document | BadRecord
"""What every reader yields: a document, or a bad record naming the place and the reason."""


def record_to_document(
    fields: Mapping[str, object], at: str, *, max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
) -> Item:
    """A Document from a record's fields, or a BadRecord saying which field is wrong."""
    try:
        return parse_record(fields, at, max_bytes)
    except InputError as error:
        return BadRecord(error.where, error.reason)


def parse_record(fields: Mapping[str, object], at: str, max_bytes: int) -> Document:
    """A Document from a record's fields; raises InputError."""
    doc_id = _field(fields, "id", at, numbers=True)
    text = _field(fields, "text", at, numbers=False)
    if doc_id is None:
        raise InputError(at, "missing field 'id'")
    check_id(doc_id, at)
    if text is None:
        raise InputError(at, "missing field 'text'")
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise InputError(at, too_large("text", size, max_bytes))
    check_text(text, at)
    url, title, site, published = (
        _field(fields, name, at, numbers=True) or None for name in METADATA_FIELDS
    )
    return Document(doc_id, text, url=url, title=title, site=site, published=published)


def _field(fields: Mapping[str, object], name: str, at: str, *, numbers: bool) -> str | None:
    """A string field of a record (numbers as text when allowed); None when absent or null."""
    value = fields.get(name)
    if value is None:
        return None
    if numbers and isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value):  # JSON readers take NaN and Infinity; they name nothing
            raise InputError(at, f"field '{name}' is {value}, not a usable value")
        return str(value)
    if not isinstance(value, str):
        wanted = "a string or number" if numbers else "a string"
        raise InputError(at, f"field '{name}' must be {wanted}, not {json_type(value)}")
    if not is_storable_text(value):
        raise InputError(at, f"field '{name}' contains an unpaired surrogate escape")
    return value


def check_id(doc_id: str, where: str) -> None:
    """Refuse ids that name nothing: blank, or holding control characters (a NUL, a line break),
    which no report, file name or URL can show."""
    if not doc_id.strip():
        raise InputError(where, "field 'id' is empty")
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in doc_id):
        raise InputError(where, "field 'id' holds a control character (a NUL or a line break)")


def check_text(text: str, where: str) -> None:
    """Refuse texts with nothing to match: blank, or without a single letter."""
    if not text.strip():
        raise InputError(where, "empty document")
    if not any(char.isalpha() for char in text):
        raise InputError(where, "no words in document")


def as_items(items: Iterator[Item], where: str) -> Iterator[Item]:
    """``items``, with an InputError or OSError that stops them turned into a last BadRecord."""
    try:
        yield from items
    except InputError as error:
        yield BadRecord(error.where, error.reason)
    except OSError as error:
        yield BadRecord(where, os_reason(error))


# --- how problems are worded -----------------------------------------------------------------


def too_large(what: str, size: int, limit: int) -> str:
    return f"{what} too large ({megabytes(size, exact=False)}; limit {megabytes(limit)})"


def megabytes(size: int, *, exact: bool = True) -> str:
    """``20 MB`` for a limit, ``50.0 MB`` for a measured size; bytes when tiny (as in tests)."""
    if size < 100_000:
        return f"{size:,} bytes"
    shown = f"{size / 1_000_000:.1f}"
    return f"{shown.removesuffix('.0') if exact else shown} MB"


def json_type(value: object) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number")


def os_reason(error: OSError) -> str:
    detail = error.strerror or str(error)
    return f"cannot read ({detail[:1].lower()}{detail[1:]})"


def short_error(error: BaseException) -> str:
    """An error as one short printable line (parsers quote the broken bytes back)."""
    lines = str(error).splitlines()
    text = (
        "".join(c if c.isprintable() and ord(c) < 0x7F else "?" for c in lines[0][:80])
        if lines
        else ""
    )
    return f"{type(error).__name__}: {text}" if text else type(error).__name__

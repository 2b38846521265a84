"""Whole-file articles: ``.txt`` and ``.html`` files, standard input and crawled pages.

Text is kept exactly as decoded (only a byte order mark is dropped), because
every offset the pipeline reports points into it. Binary files with a text
extension and undecodable bytes are refused with the reason, never guessed.
"""

from __future__ import annotations

import codecs
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from unspin.errors import InputError
from unspin.io.records import (
    DEFAULT_MAX_DOCUMENT_BYTES,
    BadRecord,
    Item,
    check_text,
    megabytes,
    os_reason,
    too_large,
)
from unspin.io.webpage import decode_html, extract_article
from unspin.model import Document

SNIFF_BYTES = 8192
"""How much of a file is looked at to tell text from binary."""
UTF8_BOM = codecs.BOM_UTF8

_MAX_CONTROL_SHARE = 0.30
# C0 controls other than tab, newline, vertical tab, form feed and carriage return, plus DEL.
_CONTROL_BYTES = frozenset(range(0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D} | {0x7F}
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def read_text_file(path: Path, doc_id: str, where: str, max_bytes: int) -> Iterator[Item]:
    """A ``.txt`` file as one Document."""
    yield document_from_bytes(read_whole(path, where, max_bytes), doc_id, where, html=False)


def read_html_file(path: Path, doc_id: str, where: str, max_bytes: int) -> Iterator[Item]:
    """An ``.html`` file as one Document: its main text and metadata."""
    yield document_from_bytes(read_whole(path, where, max_bytes), doc_id, where, html=True)


def read_document_stdin(stream: BinaryIO, *, name: str = "<stdin>") -> Document:
    """Read one article from a byte stream, as HTML when it starts like an HTML page.

    Applies the same checks as a ``.txt`` file; raises ``InputError(name, reason)``.
    """
    try:
        data = stream.read(DEFAULT_MAX_DOCUMENT_BYTES + 1)
    except OSError as error:
        raise InputError(name, os_reason(error)) from error
    if len(data) > DEFAULT_MAX_DOCUMENT_BYTES:
        raise InputError(name, f"input too large (limit {megabytes(DEFAULT_MAX_DOCUMENT_BYTES)})")
    head = data[:1024].removeprefix(UTF8_BOM).lstrip().lower()
    is_html = head.startswith((b"<!doctype html", b"<html"))
    return document_from_bytes(data, name, name, html=is_html)


def extract_html(data: bytes, where: str, *, doc_id: str | None = None) -> Item:
    """One HTML page (raw bytes, e.g. a crawl record) as a Document, or a BadRecord saying why not.

    Applies the same decoding, extraction and checks as an ``.html`` file;
    ``doc_id`` defaults to ``where``.
    """
    try:
        return document_from_bytes(data, doc_id or where, where, html=True)
    except InputError as error:
        return BadRecord(error.where, error.reason)


def document_from_bytes(data: bytes, doc_id: str, where: str, *, html: bool) -> Document:
    """Check, decode and (for HTML) extract one article; raises InputError."""
    if not data.strip():
        raise InputError(where, "empty document")
    text = _decode(data, where, html=html)
    document = extract_article(text, doc_id, where) if html else Document(id=doc_id, text=text)
    check_text(document.text, where)
    return document


def open_regular(path: Path, where: str) -> BinaryIO:
    """Open a regular file for reading; a FIFO or device would block or never end."""
    if not stat.S_ISREG(path.stat().st_mode):
        raise InputError(where, "not a regular file")
    return path.open("rb")


def open_text_stream(path: Path, where: str) -> BinaryIO:
    """Open a file read line by line, refusing binary files (else one error per 'line')."""
    file = open_regular(path, where)
    try:
        sample = file.read(SNIFF_BYTES)
        if looks_binary(sample.removeprefix(UTF8_BOM)):
            raise InputError(where, "binary file")
        file.seek(0)
    except BaseException:
        file.close()
        raise
    return file


def read_whole(path: Path, where: str, max_bytes: int) -> bytes:
    """Read a whole file, refusing one over ``max_bytes`` before reading it."""
    with open_regular(path, where) as file:
        size = os.fstat(file.fileno()).st_size
        if size > max_bytes:
            raise InputError(where, too_large("file", size, max_bytes))
        data = file.read(max_bytes + 1)  # the file may have grown since fstat
    if len(data) > max_bytes:
        raise InputError(where, too_large("file", len(data), max_bytes))
    return data


def looks_binary(sample: bytes) -> bool:
    """NUL bytes or many control characters: not text, whatever the extension says."""
    if b"\x00" in sample:
        return True
    controls = len(sample.translate(None, _NOT_CONTROL_BYTES))
    return bool(sample) and controls > _MAX_CONTROL_SHARE * len(sample)


def utf8_reason(error: UnicodeDecodeError) -> str:
    return f"not valid UTF-8 (byte 0x{error.object[error.start]:02x} at offset {error.start})"


def _decode(data: bytes, where: str, *, html: bool) -> str:
    """Bytes to text: UTF-8 (or UTF-16 with a BOM); for HTML also its declared charset."""
    if data.startswith(_UTF16_BOMS):
        try:
            text = data.decode("utf-16")  # consumes the BOM
        except UnicodeDecodeError as error:
            raise InputError(where, f"not valid UTF-16 (at byte offset {error.start})") from None
        if looks_binary(text[:SNIFF_BYTES].encode("utf-8")):
            raise InputError(where, "binary file")
        return text
    if looks_binary(data[:SNIFF_BYTES]):
        raise InputError(where, "binary file")
    if html:
        return decode_html(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(where, utf8_reason(error)) from None
    return text.removeprefix("\ufeff")

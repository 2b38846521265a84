"""Which reader reads which file: the one table from file suffix to format.

Every command reads its inputs through this table, so every command reads
every format. A reader takes ``(path, doc_id, where, max_bytes)``: ``doc_id``
names the document of a one-article file, ``where`` names the file in
messages, and ``max_bytes`` bounds any one article or record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from unspin.io.lines import count_lines, read_csv, read_jsonl
from unspin.io.parquet import count_rows, read_parquet
from unspin.io.records import Item
from unspin.io.text import read_html_file, read_text_file
from unspin.io.warc import read_warc, read_warc_gz

Reader = Callable[[Path, str, str, int], Iterator[Item]]


@dataclass(frozen=True, slots=True)
class Format:
    """How to read one kind of file, and how to count its records without reading them."""

    read: Reader
    count: Callable[[Path], int] | None
    """About how many records a file holds, cheaply; None where only reading tells (WARC)."""


def _one(path: Path) -> int:
    return 1


def _csv_rows(path: Path) -> int:
    return max(count_lines(path) - 1, 0)  # less the header


FORMATS: dict[str, Format] = {
    ".txt": Format(read_text_file, _one),
    ".html": Format(read_html_file, _one),
    ".htm": Format(read_html_file, _one),
    ".jsonl": Format(read_jsonl, count_lines),
    ".csv": Format(read_csv, _csv_rows),
    ".parquet": Format(read_parquet, count_rows),
    ".warc": Format(read_warc, None),
    ".warc.gz": Format(read_warc_gz, None),
}
"""File suffix (lower case) to format."""

SUPPORTED_SUFFIXES = tuple(FORMATS)
SUFFIX_LIST = f"{', '.join(SUPPORTED_SUFFIXES[:-1])} or {SUPPORTED_SUFFIXES[-1]}"
"""The supported suffixes, for messages."""

_LONGEST_FIRST = sorted(FORMATS, key=len, reverse=True)


def suffix_of(path: Path) -> str | None:
    """The supported suffix of a file name (``.warc.gz`` counts as one), or None."""
    name = path.name.lower()
    return next((suffix for suffix in _LONGEST_FIRST if name.endswith(suffix)), None)

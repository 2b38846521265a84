"""Crawl records with stable positions, read through :mod:`unspin.io`.

Every record gets a *position*: its file's number among the inputs and its
place in that file. Positions are stable from run to run, which is what lets
a scan resume and both engines write rows in the same order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from unspin.io import BadRecord, InputFile, Item, read_file
from unspin.model import Document

_POSITION_BITS = 40
"""A position packs (file number, record number) into one integer: 2**40 records per file."""
_RECORD_MASK = (1 << _POSITION_BITS) - 1


@dataclass(frozen=True, slots=True)
class CrawlRecord:
    """A document or a bad record, with its stable position among all inputs."""

    position: int
    item: Item


def read_crawl(files: Sequence[InputFile]) -> Iterator[CrawlRecord]:
    """Every record of ``files`` in order; see :func:`read_crawl_file`. A document whose id an
    earlier one had becomes a bad record: reported and counted, not silently lost."""
    seen: set[str] = set()
    for number, file in enumerate(files):
        for record in read_crawl_file(file, number):
            item = record.item
            if isinstance(item, Document):
                if item.id in seen:
                    # A second row for one id would be dropped by every store keyed on it.
                    where = f"{file.path}:record {(record.position & _RECORD_MASK) + 1}"
                    reason = f"duplicate id {item.id!r} (an earlier record has it); skipped"
                    record = CrawlRecord(record.position, BadRecord(where, reason))
                else:
                    seen.add(item.id)
            yield record


def read_crawl_file(file: InputFile, file_number: int) -> Iterator[CrawlRecord]:
    """Every document of one input file, and a BadRecord for each record it cannot use."""
    yield from positioned(read_file(file), file_number)


def positioned(items: Iterable[Item], group: int) -> Iterator[CrawlRecord]:
    """``items`` numbered in order, as the records of input file (or chunk) number ``group``."""
    base = group << _POSITION_BITS
    for offset, item in enumerate(items):
        yield CrawlRecord(base + offset, item)

"""What scanning and clustering run on every document, and the local engine that runs it.

Both jobs check crawled documents against an index, one document at a time,
and differ only in what they keep: a scan keeps the ``check --json`` row of
every document (:func:`scan_batch`), clustering keeps the copy links between
crawl documents (:func:`link_batch`). These batch functions are the whole
per-document work of both engines: the local engine maps them over a pool of
processes (:func:`run_local`), the Spark engine over partitions
(:mod:`unspin.scan.spark`). Each worker opens the index file itself, read-only
in practice, once per process.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import partial
from typing import Generic, TypeVar

from unspin.api import Index
from unspin.io import BadRecord, InputFile
from unspin.model import COPY_VERDICTS, UNKNOWN_SITE, Document, site_of
from unspin.parallel import bounded_map
from unspin.scan.crawl import CrawlRecord, positioned, read_crawl_file
from unspin.scan.ledger import ScanRow
from unspin.schema import to_line

T = TypeVar("T")

DEFAULT_BATCH = 32
"""Documents per unit of work: small enough for a smooth progress bar, big enough
that process hand-offs cost little next to checking."""

_OPEN_INDEXES: dict[str, Index] = {}


@dataclass(frozen=True, slots=True)
class Link:
    """A crawl document found to copy another (``copy`` checked, ``source`` matched)."""

    copy: str
    source: str
    verdict: str
    score: float
    spin_rate: float
    coverage: float


@dataclass(slots=True)
class Batch(Generic[T]):
    """The results and bad records of one batch of crawl records."""

    results: list[T] = field(default_factory=list)
    bad: list[BadRecord] = field(default_factory=list)
    documents: int = 0
    """Documents checked."""
    skipped: int = 0
    """Documents left out because their id was done already."""


BatchFunction = Callable[[str, list[tuple[int, Document]]], list[T]]
"""Checks ``(position, document)`` pairs against the index at the given path."""

Group = tuple[list[tuple[int, Document]], list[BadRecord], int]
"""One batch of records: documents to check (with positions), bad records, and how
many documents were skipped as done."""


def worker_index(index_path: str) -> Index:
    """This process's handle on an index file, opened on first use and kept."""
    index = _OPEN_INDEXES.get(index_path)
    if index is None:
        index = _OPEN_INDEXES[index_path] = Index(index_path, read_only=True)
    return index


def scan_batch(index_path: str, documents: list[tuple[int, Document]]) -> list[ScanRow]:
    """One :class:`ScanRow` per document: its check against the archive."""
    index = worker_index(index_path)
    rows: list[ScanRow] = []
    for position, document in documents:
        result = index.check(document)
        best = result.matches[0] if result.matches else None
        rows.append(
            ScanRow(
                position=position,
                id=document.id,
                site=site_of(document) or UNKNOWN_SITE,
                verdict=result.verdict,
                best_source=best.source_id if best else None,
                score=best.score if best else 0.0,
                result=to_line(result),
            )
        )
    return rows


LINK_CANDIDATES = 7
"""Candidates verified per document when clustering: the usual six, plus the
document itself, which is in the crawl's own index."""


@dataclass(frozen=True, slots=True)
class Linked:
    """One checked crawl document and its copy links (none when it copies nothing):
    clustering records every checked document, so a rerun knows what is done."""

    id: str
    links: tuple[Link, ...]


def link_batch(index_path: str, documents: list[tuple[int, Document]]) -> list[Linked]:
    """The copy links of each document to the other documents of the crawl's index."""
    index = worker_index(index_path)
    checked: list[Linked] = []
    for _, document in documents:
        result = index.check(document, candidates=LINK_CANDIDATES, copies_only=True)
        links = tuple(
            Link(document.id, m.source_id, m.verdict, m.score, m.spin_rate, m.coverage)
            for m in result.matches
            if m.verdict in COPY_VERDICTS and m.source_id != document.id
        )
        checked.append(Linked(document.id, links))
    return checked


def file_records(part: tuple[int, InputFile]) -> Iterator[CrawlRecord]:
    """The records of input file number ``part[0]``: a part of a scan on Spark."""
    number, file = part
    return read_crawl_file(file, number)


def stored_records(index_path: str, part: tuple[int, list[str]]) -> Iterator[CrawlRecord]:
    """The stored documents with ids ``part[1]``, as chunk number ``part[0]`` of an index."""
    number, ids = part
    found = worker_index(index_path).documents(ids)
    return positioned((found[i] for i in ids if i in found), number)


def batches(
    records: Iterable[CrawlRecord], size: int, skip: AbstractSet[str] | None = None
) -> Iterator[Group]:
    """Records grouped into (documents to check, bad records, documents skipped as done)."""
    documents: list[tuple[int, Document]] = []
    bad: list[BadRecord] = []
    skipped = 0
    for record in records:
        if isinstance(record.item, BadRecord):
            bad.append(record.item)
        elif skip is not None and record.item.id in skip:
            skipped += 1
        else:
            documents.append((record.position, record.item))
        if len(documents) >= size or skipped >= 10 * size:
            yield documents, bad, skipped
            documents, bad, skipped = [], [], 0
    if documents or bad or skipped:
        yield documents, bad, skipped


def run_batch(function: BatchFunction[T], index_path: str, group: Group) -> Batch[T]:
    """One batch through ``function`` (the unit of work of both engines)."""
    documents, bad, skipped = group
    results = function(index_path, documents) if documents else []
    return Batch(results, bad, len(documents), skipped)


def run_local(
    function: BatchFunction[T],
    index_path: str,
    records: Iterable[CrawlRecord],
    *,
    workers: int | None = None,
    batch_size: int = DEFAULT_BATCH,
    skip: AbstractSet[str] | None = None,
) -> Iterator[Batch[T]]:
    """``function`` over every document of ``records``, batch by batch, in input order.

    With ``workers`` > 1 a process pool computes batches ahead (bounded, so
    memory stays flat on any crawl size) while the caller stores earlier ones.
    Documents whose id is in ``skip`` are left out (and counted).
    """
    return bounded_map(
        partial(run_batch, function, index_path),
        batches(records, batch_size, skip),
        workers=workers or os.cpu_count() or 1,
    )

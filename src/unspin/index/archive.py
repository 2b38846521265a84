"""The archive index: documents, their full text and their postings in one SQLite file."""

from __future__ import annotations

import dataclasses
import functools
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from unspin.errors import UnspinError
from unspin.fingerprint import GRAM, SAMPLE, Holders
from unspin.index.documents import (
    AddStats,
    DocumentStore,
    add_full_text,
    count_documents,
    create_document_tables,
)
from unspin.index.layout import ADD_BATCH, MERGE_AFTER_SHARE, IndexLayout
from unspin.index.planner import Run
from unspin.index.postings import Postings, create_postings_tables, isin_sorted
from unspin.index.prepare import LOW32, batched, prepare_all
from unspin.model import Document, Editions, is_storable_text
from unspin.normalize import NORMALIZATION_VERSION
from unspin.storage import Mode, Schema, connect

SCHEMA_VERSION = 5
"""Version 5 added the full-text table; version 4 files are upgraded when opened."""
_SETTINGS = {
    "normalization": str(NORMALIZATION_VERSION),
    "gram": str(GRAM),
    "sample": str(SAMPLE),
}
"""What the stored fingerprints depend on: an index made with other values cannot be read."""


def _create(db: sqlite3.Connection) -> None:
    create_document_tables(db)
    create_postings_tables(db)
    db.executemany(
        "INSERT OR REPLACE INTO meta VALUES (?, ?)",
        [*_SETTINGS.items(), ("id", str(uuid.uuid4()))],
    )


CORE = Schema(
    "core",
    SCHEMA_VERSION,
    _create,
    upgrades={4: add_full_text},
    too_old="rebuild it with 'unspin index'",
    legacy_key="schema",
)


class ArchiveIndex:
    """An on-disk index of original articles.

    Open one per thread, or share one: a lock serializes use of the single
    connection. Several processes may read while one writes.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        create: bool = True,
        layout: IndexLayout | None = None,
        read_only: bool = False,
    ) -> None:
        mode: Mode = "read-only" if read_only else "create" if create else "read-write"
        self._database = connect(path, mode)
        try:
            self._check_settings()
            if not self._database.install(CORE):
                raise UnspinError(f"{path}: no index in it yet (add documents with 'unspin index')")
            self.layout = self._kept_layout(layout)
        except (sqlite3.DatabaseError, ValueError) as error:
            self._database.close()
            raise UnspinError(f"{path}: not a usable unspin index ({error})") from None
        except BaseException:
            self._database.close()
            raise
        self._documents = DocumentStore(self._database)
        self._postings = Postings(self._database, self.layout)

    @property
    def path(self) -> Path:
        return self._database.path

    def _check_settings(self) -> None:
        """Refuse an index built with other settings, before touching its tables."""
        for key, value in _SETTINGS.items():
            stored = self._database.meta(key)
            if stored is not None and stored != value:
                raise UnspinError(
                    f"{self.path}: built by another version of unspin ({key} {stored}, "
                    f"this version needs {value}); rebuild it with 'unspin index'"
                )

    def _kept_layout(self, asked: IndexLayout | None) -> IndexLayout:
        """The layout the index was built with, stored with it; a new index stores ``asked``.

        Opened with another layout, the index grows and merges its runs by the
        new one from now on, but keeps its ``common_df``: the postings of the
        fingerprints it pruned as too common cannot come back.
        """
        stored = self._database.meta("layout")
        built = None if stored is None else IndexLayout.from_json(stored)
        layout = asked or built or IndexLayout()
        if built is not None and layout.common_df != built.common_df:
            raise UnspinError(
                f"{self.path}: built with common_df {built.common_df}, which an index keeps "
                f"(asked for {layout.common_df}); rebuild it to change it"
            )
        if layout != built and self._database.mode != "read-only":
            with self._database.transaction() as db:
                db.execute("INSERT OR REPLACE INTO meta VALUES ('layout', ?)", (layout.to_json(),))
        return layout

    def close(self) -> None:
        self._database.close()

    def __enter__(self) -> ArchiveIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        return self._documents.counts()[0]

    def editions(self) -> int:
        """How many distinct stories the index holds (edition groups)."""
        return self._documents.counts()[1]

    @functools.cached_property
    def id(self) -> str:
        """The index's identity: a UUID made when the file was created, kept for good."""
        return str(self._database.meta("id"))

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._documents

    # --- writing -------------------------------------------------------------------------

    def add(
        self,
        documents: Iterable[Document],
        *,
        batch_size: int = ADD_BATCH,
        workers: int | None = None,
        on_batch: Callable[[AddStats], None] | None = None,
    ) -> AddStats:
        """Add documents whose id is not in the index yet, one transaction per batch.

        Tokenizing and fingerprinting run in ``workers`` processes (default:
        one per CPU) while this process writes the previous batch. Merges of
        postings runs happen between batches, each in its own transaction.
        """
        stats = AddStats()

        def new_documents() -> Iterator[Document]:
            # Checked before the costly part: a rerun over a finished index fingerprints
            # nothing. A batch at a time, as a query per document costs the writer a tenth
            # of its time.
            for batch in batched(documents, batch_size):
                for document in batch:
                    _check_storable(document)
                present = self._documents.present([d.id for d in batch])
                stats.already_present += sum(d.id in present for d in batch)
                yield from (d for d in batch if d.id not in present)

        for batch, (keys, bodies) in prepare_all(
            new_documents(), batch_size, workers or os.cpu_count() or 1
        ):
            self._store_batch(batch, keys, bodies, stats)
            self._postings.merge_while_needed(count_documents)
            if on_batch is not None:
                on_batch(stats)
        if stats.added and stats.added * MERGE_AFTER_SHARE >= len(self):
            self._documents.merge_full_text()
        self._database.vacuum()
        return stats

    def _store_batch(
        self,
        batch: list[Document],
        keys: npt.NDArray[np.int64],
        bodies: npt.NDArray[np.int64],
        stats: AddStats,
    ) -> None:
        """Store a batch's documents and postings in one transaction: all of it or nothing."""
        with self._database.transaction() as db:
            groups = self._documents.store(db, batch, bodies, stats)
            hashes = keys >> np.int64(32)
            writers = groups[keys & LOW32]
            keep = writers > 0
            keep &= ~isin_sorted(hashes, self._postings.common_hashes())
            if keep.any():
                # Groups grow with the position in the batch, so the keys' order
                # (hash, position) is (hash, group): a new run is written in key order.
                self._postings.append(db, hashes[keep].tolist(), writers[keep].tolist())

    # --- reading -------------------------------------------------------------------------

    def get(self, doc_id: str) -> Document | None:
        """The document with this id, or None."""
        return self._documents.get(doc_id)

    def documents(self, ids: Iterable[str]) -> dict[str, Document]:
        """The stored documents among ``ids``, by id."""
        return self._documents.documents(ids)

    def edition(self, edition_id: int) -> tuple[Document, Editions | None]:
        """The document that stands for an edition group, and the group's other members."""
        return self._documents.edition(edition_id)

    def postings(self, hashes: Iterable[int], *, max_df: int) -> Holders:
        """Edition groups holding each fingerprint (see :meth:`Postings.lookup`)."""
        return self._postings.lookup(hashes, max_df=max_df)

    def rare_terms(
        self, words: Sequence[str], *, terms: int, max_df: int, limit: int
    ) -> list[tuple[int, float, int]]:
        """Edition groups sharing the rarest ``words`` (see :meth:`DocumentStore.rare_terms`)."""
        return self._documents.rare_terms(words, terms=terms, max_df=max_df, limit=limit)

    def iter_documents(self, batch_size: int = 1000) -> Iterator[Document]:
        """Every document, in insertion order, read ``batch_size`` at a time."""
        return self._documents.iter_documents(batch_size)

    def search(self, query: str, *, limit: int = 50) -> list[Document]:
        """Documents by id or by the words of their title, site or text (FTS5)."""
        return self._documents.search(query, limit=limit)

    def sites(self) -> dict[str, int]:
        """Documents per site, most first."""
        return self._documents.sites()

    # --- for tests of the layout ---------------------------------------------------------

    def runs(self) -> list[Run]:
        """The postings runs as they stand."""
        return self._postings.runs()

    def common_hashes(self) -> npt.NDArray[np.int64]:
        """The stored keys of fingerprints too common to keep postings for."""
        return self._postings.common_hashes()


def _check_storable(document: Document) -> None:
    """Refuse, naming it, a document that SQLite cannot store (see :func:`is_storable_text`)."""
    for field in dataclasses.fields(document):
        name, value = field.name, getattr(document, field.name)
        if value is not None and not is_storable_text(value):
            raise UnspinError(
                f"document {document.id!r}: its {name} holds an unpaired surrogate "
                "(half of a UTF-16 pair), which is not text"
            )

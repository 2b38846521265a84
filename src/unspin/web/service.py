"""The work behind every page and API call, shared by both.

One :class:`unspin.Index` per process (its archive serializes use of the
SQLite connection with a lock, and WAL lets checks read while documents are
added). CPU-heavy work (checks, detection, indexing) runs in the threadpool,
so the event loop keeps answering, and at most ``heavy_jobs`` of it runs at
once: the rest waits briefly, then gets a clear "busy" error.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool

from unspin.api import Index
from unspin.errors import FeatureUnavailable, UnspinError
from unspin.index import AddStats
from unspin.model import CheckResult, Detection, Document
from unspin.web.store import CheckStore, StoreLimits

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class WebSettings:
    """How ``unspin serve`` runs; every limit is per request unless said otherwise."""

    db: Path
    token: str | None = None
    """Required for writes (adding documents); without one, writes are refused."""
    lock_reads: bool = False
    """Require the token for everything, pages included."""
    max_body_bytes: int = 5_000_000
    max_text_chars: int = 1_000_000
    max_documents_per_request: int = 1000
    heavy_jobs: int = 2
    """Checks, detections and additions running at once (per process)."""
    busy_wait_seconds: float = 30.0
    """How long heavy work waits for a free slot before the request gets a 503."""
    header_timeout_seconds: float = 10.0
    """A client must send a request's headers within this long, or its connection is closed."""
    body_timeout_seconds: float = 60.0
    """...and then its body within this long: slow clients cannot hold connections open."""
    store: StoreLimits = field(default_factory=StoreLimits)
    """How many stored checks are kept, how large and for how long."""


class Busy(Exception):
    """Every heavy-work slot stayed taken for ``busy_wait_seconds``."""


class WebService:
    """The index, the web app's own tables and the heavy-work gate."""

    def __init__(self, settings: WebSettings) -> None:
        self.settings = settings
        self.index = Index(settings.db)  # texts over max_text_chars never reach it
        self.store = CheckStore(settings.db, settings.store)
        self._gate: asyncio.Semaphore | None = None

    def close(self) -> None:
        self.store.close()
        self.index.close()

    async def _heavy(self, work: Callable[..., T], *args: Any) -> T:
        if self._gate is None:  # made on first use, inside the server's event loop
            self._gate = asyncio.Semaphore(self.settings.heavy_jobs)
        try:
            await asyncio.wait_for(self._gate.acquire(), self.settings.busy_wait_seconds)
        except TimeoutError:
            raise Busy from None
        try:
            return await run_in_threadpool(work, *args)
        finally:
            self._gate.release()

    async def check(
        self, suspect: Document, *, record: bool = True, client: str | None = None
    ) -> tuple[int | None, CheckResult]:
        """Check a suspect; returns the stored check's id (when recorded) and the result.

        ``client`` (who asked) counts the check against that client's stored checks.
        """
        result = await self._heavy(self.index.check, suspect)
        check_id = await run_in_threadpool(self.store.record, result, client) if record else None
        return check_id, result

    async def add(self, documents: Sequence[Document]) -> AddStats:
        # One worker: a process pool forked from a server thread is not worth its risks here.
        return await self._heavy(lambda: self.index.add(documents, workers=1))

    async def detect(self, document: Document) -> Detection:
        """Sourceless detection; FeatureUnavailable when :mod:`unspin.detect` is not installed."""
        if not detect_available():
            raise FeatureUnavailable("sourceless detection (unspin.detect) is not installed")
        detect = importlib.import_module("unspin.detect").detect
        try:
            found: Detection = await self._heavy(
                lambda: detect(document.text, site=document.site, doc_id=document.id)
            )
        except UnspinError as error:  # e.g. no trained model shipped with this install
            raise FeatureUnavailable(f"sourceless detection is not available: {error}") from None
        return found

    def sources_of(self, result_source_ids: Sequence[str]) -> dict[str, Document]:
        return self.index.documents(result_source_ids)


def detect_available() -> bool:
    return importlib.util.find_spec("unspin.detect") is not None

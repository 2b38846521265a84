"""Scan crawls against an archive index: every document checked, resumably.

Results go to a ledger next to the output batch by batch (see
:mod:`unspin.scan.ledger`), and the output file is written from it at the
end. A rerun of the same command skips every document already in the
ledger, so a scan killed at any point loses at most the batches in flight.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from unspin.api import Index
from unspin.errors import UnspinError
from unspin.io import BadRecord, InputFile, estimate_records, find_inputs
from unspin.scan.crawl import read_crawl
from unspin.scan.engine import DEFAULT_BATCH, Batch, file_records, run_local, scan_batch
from unspin.scan.ledger import ScanLedger, ScanRow, ScanSummary, ledger_path

Engine = Literal["local", "spark"]
OUTPUT_SUFFIXES = (".jsonl", ".parquet")


@dataclass(slots=True)
class ScanProgress:
    """How far a running scan is: documents checked and skipped so far in this run."""

    checked: int = 0
    already_done: int = 0
    bad_records: int = 0
    expected: int | None = None
    """About how many records the inputs hold, when that is cheap to know."""


@dataclass(slots=True)
class ScanReport:
    """What a scan did in this run, and the summary over all its runs."""

    output: Path
    rows: int
    progress: ScanProgress
    summary: ScanSummary


def scan(
    inputs: Sequence[str | Path],
    db: str | Path,
    output: str | Path,
    *,
    engine: Engine = "local",
    workers: int | None = None,
    master: str | None = None,
    batch_size: int = DEFAULT_BATCH,
    on_progress: Callable[[ScanProgress], None] | None = None,
    on_bad: Callable[[BadRecord], None] | None = None,
) -> ScanReport:
    """Check every document of ``inputs`` (files, folders, globs) against the index ``db``.

    Writes one ``check --json`` row per document to ``output`` (``.jsonl`` or
    ``.parquet``). Bad records are skipped, reported to ``on_bad`` and counted.
    """
    db_path = Path(db).resolve()
    output_path = Path(output)
    if output_path.suffix.lower() not in OUTPUT_SUFFIXES:
        raise UnspinError(f"{output}: output must be a .jsonl or .parquet file")
    if output_path.is_dir():
        raise UnspinError(f"{output}: is a folder, not an output file")
    with Index(db_path, read_only=True) as index:  # fails early on a missing or foreign index
        index_id = index.id
    files, problems = find_inputs(inputs)
    if not files:
        reasons = "; ".join(str(p) for p in problems) or "no inputs"
        raise UnspinError(f"nothing to scan: {reasons}")
    progress = ScanProgress(expected=estimate_records(files))
    with ScanLedger(ledger_path(output_path)) as ledger:
        ledger.claim(str(db_path), index_id)
        done = ledger.done_ids()
        ledger.commit([], problems)
        for problem in problems:
            progress.bad_records += 1
            if on_bad is not None:
                on_bad(problem)
        for batch in _batches(engine, files, str(db_path), done, workers, master, batch_size):
            ledger.commit(batch.results, batch.bad)
            progress.checked += batch.documents
            progress.already_done += batch.skipped
            progress.bad_records += len(batch.bad)
            if on_bad is not None:
                for bad in batch.bad:
                    on_bad(bad)
            if on_progress is not None:
                on_progress(progress)
        rows = ledger.export(output_path)
        summary = ledger.summary()
    return ScanReport(output_path, rows, progress, summary)


def _batches(
    engine: Engine,
    files: list[InputFile],
    index_path: str,
    done: set[str],
    workers: int | None,
    master: str | None,
    batch_size: int,
) -> Iterator[Batch[ScanRow]]:
    if engine == "spark":
        from unspin.scan.spark import run_spark

        # Executors may run elsewhere: they get absolute paths (messages keep the given ones).
        parts = [(n, replace(file, path=file.path.resolve())) for n, file in enumerate(files)]
        return run_spark(
            scan_batch,
            index_path,
            parts,
            file_records,
            expected=estimate_records(files),
            master=master,
            skip=done,
            batch_size=batch_size,
        )
    if engine != "local":
        raise UnspinError(f"unknown engine {engine!r}; expected local or spark")
    return run_local(
        scan_batch,
        index_path,
        read_crawl(files),
        workers=workers,
        batch_size=batch_size,
        skip=done,
    )

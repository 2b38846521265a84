"""The Spark engine: the same batch functions as the local engine, over Spark partitions.

The driver hands out *parts* of the input: crawl files for a scan (so the
files must be where every executor can read them: a shared file system, HDFS
mounted via FUSE, or the same disk in local mode), or chunks of stored
document ids for clustering. Executors read their parts, spread the records
over partitions, and run :func:`unspin.scan.engine.scan_batch` or
``link_batch`` on each partition with the index file opened read-only by
each Python worker. The index file, too, must be readable by every executor
at the same path (shared storage); it is only read.

The driver runs the partitions in waves and hands each wave's batches back
to the caller, which stores them (the scan ledger): a scan on Spark resumes
like a local one, and the driver never holds more than one wave of results.
Records are shuffled only once; later waves reuse the shuffle files.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from unspin.errors import FeatureUnavailable, UnspinError
from unspin.scan.crawl import CrawlRecord
from unspin.scan.engine import DEFAULT_BATCH, Batch, BatchFunction, batches, run_batch

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

T = TypeVar("T")
P = TypeVar("P")

RECORDS_PER_PARTITION = 2_000
"""Aim for partitions of about this many records: small enough to balance load."""


def spark_session(master: str | None = None) -> SparkSession:
    """The active Spark session, or a new one on ``master`` (default ``local[*]``).

    Python workers run this interpreter, so they see the same unspin install.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise FeatureUnavailable(
            "the Spark engine needs PySpark: pip install 'unspin[spark]'"
        ) from None
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    builder = (
        SparkSession.builder.appName("unspin")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.ui.showConsoleProgress", "false")
    )
    session = builder.master(master or "local[*]").getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def run_spark(
    function: BatchFunction[T],
    index_path: str,
    parts: Sequence[P],
    read_part: Callable[[P], Iterator[CrawlRecord]],
    *,
    expected: int | None = None,
    master: str | None = None,
    skip: set[str] | None = None,
    batch_size: int = DEFAULT_BATCH,
) -> Iterator[Batch[T]]:
    """``function`` over every document of ``parts`` on Spark; batches in no set order.

    Executors read the parts with ``read_part`` (a module-level function, so
    Spark can ship it); ``expected`` is about how many records they hold.
    """
    if not parts:
        return
    context = spark_session(master).sparkContext
    done = context.broadcast(frozenset(skip or ()))
    expected = expected or len(parts) * RECORDS_PER_PARTITION
    slots = max(int(context.defaultParallelism), 1)
    partitions = max(slots, -(-expected // RECORDS_PER_PARTITION))
    records = (
        context.parallelize(parts, len(parts))
        .flatMap(read_part)
        .repartition(partitions)
        .mapPartitions(partial(_run_partition, function, index_path, done, batch_size))
    )
    wave = 2 * slots
    for first in range(0, partitions, wave):
        chosen = list(range(first, min(first + wave, partitions)))
        try:
            done_batches = context.runJob(records, _identity, chosen)
        except Exception as error:  # Py4J and PySpark wrap what failed on an executor
            raise UnspinError(f"the Spark job failed: {_executor_reason(error)}") from None
        yield from done_batches


def _executor_reason(error: Exception) -> str:
    """The last Python exception line in a Spark failure, else its first line."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    python_errors = [line for line in lines if re.match(r"^[\w.]+(Error|Exception): ", line)]
    if python_errors:
        return python_errors[-1][:300]
    return (lines[0] if lines else type(error).__name__)[:300]


def _identity(items: Iterable[Any]) -> Iterable[Any]:
    return items


def _run_partition(
    function: BatchFunction[T],
    index_path: str,
    done: Any,
    batch_size: int,
    records: Iterator[CrawlRecord],
) -> Iterator[Batch[T]]:
    skip: frozenset[str] = done.value
    for group in batches(records, batch_size, skip or None):
        yield run_batch(function, index_path, group)

"""The Spark engine (local mode) gives the same scan rows and clusters as the local engine."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_cluster import planted_crawl
from tests.test_cluster import write_jsonl as write_dated_jsonl
from tests.test_scan import crawl_documents, write_jsonl, write_warc
from unspin import Index
from unspin.model import Document
from unspin.scan import cluster_to_json, find_clusters, scan

pyspark = pytest.importorskip("pyspark")


@pytest.fixture(scope="module")
def spark() -> Iterator[object]:
    """One local Spark session for the whole module: the JVM takes seconds to start."""
    from unspin.scan.spark import spark_session

    session = spark_session("local[2]")
    yield session
    session.stop()


@pytest.mark.slow
def test_spark_scan_equals_local_scan(
    tmp_path: Path, spark: object, sample_index: Index, sample_documents: list[Document]
) -> None:
    crawl = crawl_documents(sample_documents, 30)
    inputs = [write_jsonl(tmp_path / "a.jsonl", crawl[:20], extra="{broken\n")]
    write_warc(tmp_path / "b.warc.gz", crawl[20:], gzip=True)
    inputs.append(tmp_path / "b.warc.gz")
    db = sample_index.path
    local = scan(inputs, db, tmp_path / "local.jsonl", workers=1)
    on_spark = scan(inputs, db, tmp_path / "spark.jsonl", engine="spark")
    assert (tmp_path / "local.jsonl").read_bytes() == (tmp_path / "spark.jsonl").read_bytes()
    assert local.summary == on_spark.summary
    assert on_spark.summary.checked == 30 and on_spark.summary.bad_records == 1

    # Resuming works on Spark too: a grown crawl checks only the new documents.
    write_jsonl(tmp_path / "a.jsonl", crawl[:20] + crawl_documents(sample_documents, 33)[30:])
    again = scan(inputs, db, tmp_path / "spark.jsonl", engine="spark")
    assert (again.progress.already_done, again.progress.checked) == (30, 3)


@pytest.mark.slow
def test_spark_clusters_equal_local_clusters(
    tmp_path: Path, spark: object, sample_documents: list[Document]
) -> None:
    crawl, _ = planted_crawl(sample_documents[:10], groups=5)
    source = write_dated_jsonl(tmp_path / "crawl.jsonl", crawl)
    local = find_clusters([source], workers=1)
    on_spark = find_clusters([source], engine="spark")
    assert len(local.clusters) == 5
    as_json = [json.dumps(cluster_to_json(c)) for c in local.clusters]
    assert as_json == [json.dumps(cluster_to_json(c)) for c in on_spark.clusters]

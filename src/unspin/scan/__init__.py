"""Scanning crawls at scale: check every page against an archive, or cluster a crawl's copies.

>>> from unspin.scan import scan, find_clusters
>>> report = scan(["crawl.warc.gz"], "archive.db", "results.parquet")  # doctest: +SKIP
>>> report.summary.verdicts                                             # doctest: +SKIP
{'verbatim': 12, 'spun': 40, 'unrelated': 9948}
>>> clusters = find_clusters(["crawl.jsonl"]).clusters                  # doctest: +SKIP

Both run on this machine's cores (``engine="local"``) or on Apache Spark
(``engine="spark"``), with the same results.
"""

from unspin.scan.cluster import Cluster, ClusterReport, cluster_to_json, find_clusters
from unspin.scan.crawl import CrawlRecord, read_crawl
from unspin.scan.engine import Link
from unspin.scan.ledger import ScanRow, ScanSummary, parquet_row_to_json
from unspin.scan.scan import ScanProgress, ScanReport, scan

__all__ = [
    "Cluster",
    "ClusterReport",
    "CrawlRecord",
    "Link",
    "ScanProgress",
    "ScanReport",
    "ScanRow",
    "ScanSummary",
    "cluster_to_json",
    "find_clusters",
    "parquet_row_to_json",
    "read_crawl",
    "scan",
]

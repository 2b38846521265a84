"""The scale benchmark: index size and speed, scan throughput, cluster quality, Spark.

    .venv/bin/python -m bench.scale                       # writes bench/SCALE_RESULTS.md
    .venv/bin/python -m bench.scale --docs 20000 --no-write   # a quick look

Four parts, each in its own forked process (so its peak RSS is its own):

1. **Index at scale**: ``--docs`` synthetic articles (default 200,000) into
   one index; build time, index bytes per document beyond the stored text
   (after a WAL checkpoint), peak RSS, and query latency (p50/p95) for copies
   and unrelated texts. Results are extrapolated to 1,000,000 documents from
   two sizes (half and full), and say so.
2. **Scan throughput**: ``unspin.scan.scan`` of a crawl (a fifth copies) against
   an archive, with two worker processes.
3. **Cluster quality**: a crawl with planted copy groups (verbatim, spun at
   10-50%, partial), independent retellings of the same events (hard
   negatives) and unrelated articles; pairwise precision/recall and the
   adjusted Rand index (ARI) of ``unspin cluster`` and of datasketch
   MinHashLSH clustering (union-find over LSH hits) in the same run.
4. **Spark**: the same scan on Spark local mode (``local[2]``) and the local
   engine, timed, and whether their outputs are byte-identical.

The synthetic articles of part 1 are made fast: each takes a real generated
article (``bench.corpus``) from a pool, shuffles its paragraphs and gives
every name and number in it a new random value, so its fingerprints are its
own (a real archive's fingerprints are mostly unique, and so are these).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import re
import sqlite3
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from math import comb
from pathlib import Path
from typing import TypeVar

from bench.baseline import MinHashBaseline
from bench.corpus import Event, generate_corpus
from bench.entities import coined_word
from bench.run import machine, peak_rss_mb, percentile
from unspin import Index
from unspin.model import COPY_VERDICTS, Document
from unspin.testdata import make_variant

SEED = 20261126
RESULTS = Path(__file__).with_name("SCALE_RESULTS.md")
T = TypeVar("T")

_NAME = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]+")
_DIGITS = re.compile(r"\d")


# --- synthetic documents ---------------------------------------------------------------------


def article_pool(size: int, seed: int) -> list[Document]:
    """``size`` generated originals: the material synthetic articles are made from."""
    return [e.original for e in generate_corpus(size, seed, 0, workers=os.cpu_count() or 1)]


class SyntheticArticles:
    """Article ``k`` is a pool article with shuffled paragraphs and new names and numbers."""

    def __init__(self, pool: Sequence[Document], seed: int) -> None:
        self.pool = pool
        self.seed = seed
        rng = random.Random(seed)
        self.names = sorted({coined_word(rng).capitalize() for _ in range(20_000)})

    def __call__(self, k: int, prefix: str = "syn") -> Document:
        rng = random.Random(self.seed * 1_000_003 + k)
        base = self.pool[rng.randrange(len(self.pool))]
        paragraphs = base.text.split("\n\n")
        rng.shuffle(paragraphs)
        renamed: dict[str, str] = {}

        def name(found: re.Match[str]) -> str:
            word = found.group()
            if word not in renamed:
                renamed[word] = rng.choice(self.names)
            return renamed[word]

        text = _NAME.sub(name, "\n\n".join(paragraphs))
        text = _DIGITS.sub(lambda _: str(rng.randrange(10)), text)
        return Document(
            f"{prefix}{k:07d}",
            text,
            url=f"https://site{k % 997}.example/{k}",
            site=f"site{k % 997}.example",
            published=f"20{10 + k % 14}-{1 + k % 12:02d}-{1 + k % 28:02d}",
        )

    def many(self, start: int, stop: int, prefix: str = "syn") -> Iterator[Document]:
        for k in range(start, stop):
            yield self(k, prefix)


# --- 1. the index at scale -------------------------------------------------------------------


@dataclass(slots=True)
class IndexRun:
    docs: int
    build_seconds: float
    file_bytes: int
    text_bytes: int
    peak_rss_mb: float
    postings: int
    p50_ms: float
    p95_ms: float
    copy_found: float
    """Share of spun copies whose source came back as a copy verdict."""
    sizes: list[tuple[int, float, int]] = field(default_factory=list)
    """(documents, seconds since start, file bytes) checkpoints while building."""

    @property
    def bytes_per_doc(self) -> float:
        return (self.file_bytes - self.text_bytes) / self.docs


def index_run(docs: int, workdir: Path, pool: Sequence[Document], queries: int) -> IndexRun:
    make = SyntheticArticles(pool, SEED)
    path = workdir / "scale.db"
    sizes: list[tuple[int, float, int]] = []
    marks = {docs // 4, docs // 2, 3 * docs // 4}
    with Index(path) as index:
        index.check(pool[0].text)  # the lexicon, outside the timings
        start = time.perf_counter()
        done = 0

        def on_batch(stats: object) -> None:
            nonlocal done
            added = getattr(stats, "added", 0)
            for mark in sorted(marks):
                if done < mark <= added:
                    sizes.append((mark, time.perf_counter() - start, _db_bytes(path)))
            done = added

        index.add(make.many(0, docs), batch_size=2000, on_batch=on_batch)
        build = time.perf_counter() - start
    _checkpoint(path)
    file_bytes = _db_bytes(path)
    with sqlite3.connect(path) as db:
        text_bytes = int(
            db.execute(
                "SELECT SUM(LENGTH(CAST(text AS BLOB)) + LENGTH(CAST(id AS BLOB)) "
                "+ IFNULL(LENGTH(url), 0) + IFNULL(LENGTH(title), 0) + IFNULL(LENGTH(site), 0) "
                "+ IFNULL(LENGTH(published), 0)) FROM documents"
            ).fetchone()[0]
        )
        postings = int(db.execute("SELECT COUNT(*) FROM postings").fetchone()[0])
    sizes.append((docs, build, file_bytes))
    rng = random.Random(SEED)
    latencies: list[float] = []
    found = 0
    with Index(path, create=False) as index:
        index.check(pool[0].text)
        picks = rng.sample(range(docs), queries)
        for n, k in enumerate(picks):
            source = make(k)
            variant = make_variant("spun", [source], rate=0.3, seed=n)
            t0 = time.perf_counter()
            result = index.check(variant.text)
            latencies.append(time.perf_counter() - t0)
            found += any(
                m.source_id == source.id and m.verdict in COPY_VERDICTS for m in result.matches
            )
            unrelated = make(docs + 10_000_000 + n, "new")  # never indexed
            t0 = time.perf_counter()
            index.check(unrelated.text)
            latencies.append(time.perf_counter() - t0)
    return IndexRun(
        docs,
        build,
        file_bytes,
        text_bytes,
        peak_rss_mb(),
        postings,
        1000 * percentile(latencies, 0.5),
        1000 * percentile(latencies, 0.95),
        found / queries,
        sizes,
    )


def _db_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def _checkpoint(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


# --- 2. scan throughput ----------------------------------------------------------------------


@dataclass(slots=True)
class ScanRun:
    archive: int
    crawl: int
    workers: int
    seconds: float
    copies_found: int
    copies_planted: int

    @property
    def rate(self) -> float:
        return self.crawl / self.seconds


def write_crawl(path: Path, documents: Sequence[Document]) -> None:
    with path.open("w", encoding="utf-8") as file:
        for d in documents:
            record = {
                "id": d.id,
                "text": d.text,
                "url": d.url,
                "site": d.site,
                "published": d.published,
            }
            file.write(json.dumps(record) + "\n")


def scan_crawl(make: SyntheticArticles, archive: int, size: int) -> tuple[list[Document], set[str]]:
    """A crawl of ``size`` pages: a fifth spun or verbatim copies of archive articles."""
    rng = random.Random(SEED + 1)
    crawl: list[Document] = []
    copies: set[str] = set()
    for n in range(size):
        if n % 5 == 0:
            source = make(rng.randrange(archive))
            kind = rng.choice(("verbatim", "spun", "spun"))
            variant = make_variant(kind, [source], rate=0.3, seed=n)
            crawl.append(
                Document(f"page{n:07d}", variant.text, url=f"https://farm{n % 7}.example/{n}")
            )
            copies.add(crawl[-1].id)
        else:
            crawl.append(make(50_000_000 + n, "page-new"))
    return crawl, copies


def scan_run(archive: int, crawl_size: int, workdir: Path, pool: Sequence[Document]) -> ScanRun:
    from unspin.scan import scan

    make = SyntheticArticles(pool, SEED)
    db = workdir / "archive.db"
    with Index(db) as index:
        index.add(make.many(0, archive), batch_size=2000)
    crawl, copies = scan_crawl(make, archive, crawl_size)
    write_crawl(workdir / "crawl.jsonl", crawl)
    start = time.perf_counter()
    report = scan([workdir / "crawl.jsonl"], db, workdir / "results.jsonl", workers=2)
    seconds = time.perf_counter() - start
    found = sum(
        1
        for line in (workdir / "results.jsonl").read_text().splitlines()
        if (row := json.loads(line))["verdict"] in COPY_VERDICTS and row["query"]["id"] in copies
    )
    assert report.summary.checked == crawl_size
    return ScanRun(archive, crawl_size, 2, seconds, found, len(copies))


# --- 3. cluster quality ----------------------------------------------------------------------


@dataclass(slots=True)
class QualityRun:
    system: str
    seconds: float
    precision: float
    recall: float
    ari: float
    clusters: int
    originals_right: float = float("nan")


def planted_crawl(events: Sequence[Event], seed: int) -> tuple[list[Document], dict[str, str]]:
    """Originals with 0-5 copies each (verbatim, spun 10-50%, partial), retellings, singletons.

    Returns the crawl (shuffled) and each document's true cluster label (the
    original's id for an original and its copies, the document's own id else).
    """
    rng = random.Random(seed)
    crawl: list[Document] = []
    truth: dict[str, str] = {}
    for number, event in enumerate(events):
        original = event.original
        crawl.append(original)
        truth[original.id] = original.id
        for retelling in event.retellings:  # same story, own words: not a copy
            crawl.append(retelling)
            truth[retelling.id] = retelling.id
        copies = rng.choice((0, 0, 1, 2, 3, 5))
        for c in range(copies):
            kind = rng.choice(("verbatim", "spun", "spun", "spun", "partial"))
            rate = rng.choice((0.1, 0.3, 0.5))
            variant = make_variant(kind, [original], rate=rate, seed=rng.getrandbits(32))
            day = f"2026-{1 + number % 12:02d}-{1 + c % 28:02d}"
            copy = Document(
                f"{original.id}-copy{c}", variant.text, site=f"farm{c}.example", published=day
            )
            crawl.append(copy)
            truth[copy.id] = original.id
    rng.shuffle(crawl)
    return crawl, truth


def pair_scores(found: dict[str, str], truth: dict[str, str]) -> tuple[float, float, float]:
    """Pairwise precision, recall, and the adjusted Rand index of two labellings."""
    ids = sorted(truth)
    contingency: dict[tuple[str, str], int] = defaultdict(int)
    found_sizes: dict[str, int] = defaultdict(int)
    true_sizes: dict[str, int] = defaultdict(int)
    for i in ids:
        contingency[(found.get(i, i), truth[i])] += 1
        found_sizes[found.get(i, i)] += 1
        true_sizes[truth[i]] += 1
    both = sum(comb(n, 2) for n in contingency.values())
    found_pairs = sum(comb(n, 2) for n in found_sizes.values())
    true_pairs = sum(comb(n, 2) for n in true_sizes.values())
    precision = both / found_pairs if found_pairs else 1.0
    recall = both / true_pairs if true_pairs else 1.0
    expected = found_pairs * true_pairs / comb(len(ids), 2)
    maximum = (found_pairs + true_pairs) / 2
    ari = (both - expected) / (maximum - expected) if maximum != expected else 1.0
    return precision, recall, ari


def unspin_clusters(crawl: list[Document], truth: dict[str, str], workdir: Path) -> QualityRun:
    from unspin.scan import find_clusters

    path = workdir / "planted.jsonl"
    write_crawl(path, crawl)
    start = time.perf_counter()
    report = find_clusters([path], workers=2, work_dir=workdir)
    seconds = time.perf_counter() - start
    labels = {m.id: c.original for c in report.clusters for m in c.members}
    precision, recall, ari = pair_scores(labels, truth)
    planted = {t for i, t in truth.items() if i != t}
    right = sum(
        1 for c in report.clusters if c.original in planted and truth[c.original] == c.original
    )
    return QualityRun(
        "unspin cluster",
        seconds,
        precision,
        recall,
        ari,
        len(report.clusters),
        right / max(len(planted), 1),
    )


def minhash_clusters(crawl: list[Document], truth: dict[str, str], threshold: float) -> QualityRun:
    start = time.perf_counter()
    baseline = MinHashBaseline(threshold=threshold)
    baseline.add_many((d.id, d.text) for d in crawl)
    parent: dict[str, str] = {d.id: d.id for d in crawl}

    def root(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    signatures = baseline.signatures([d.text for d in crawl])
    for document, signature in zip(crawl, signatures, strict=True):
        for other, _ in baseline.query_signature(signature):
            a, b = root(document.id), root(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    seconds = time.perf_counter() - start
    labels = {d.id: root(d.id) for d in crawl}
    precision, recall, ari = pair_scores(labels, truth)
    clusters = (
        len({v for v in labels.values() if list(labels.values()).count(v) > 1})
        if len(labels) < 3000
        else -1
    )
    return QualityRun(f"MinHashLSH (t={threshold})", seconds, precision, recall, ari, clusters)


# --- 4. Spark against the local engine -------------------------------------------------------


@dataclass(slots=True)
class SparkRun:
    documents: int
    local_seconds: float
    spark_seconds: float
    identical: bool


def spark_run(archive: int, crawl_size: int, workdir: Path, pool: Sequence[Document]) -> SparkRun:
    from unspin.scan import scan
    from unspin.scan.spark import spark_session

    make = SyntheticArticles(pool, SEED)
    db = workdir / "archive.db"
    with Index(db) as index:
        index.add(make.many(0, archive), batch_size=2000)
    crawl, _ = scan_crawl(make, archive, crawl_size)
    write_crawl(workdir / "crawl.jsonl", crawl)
    start = time.perf_counter()
    scan([workdir / "crawl.jsonl"], db, workdir / "local.jsonl", workers=2)
    local = time.perf_counter() - start
    session = spark_session("local[2]")
    session.sparkContext.parallelize([1]).count()  # JVM and workers up, outside the timing
    start = time.perf_counter()
    scan([workdir / "crawl.jsonl"], db, workdir / "spark.jsonl", engine="spark")
    spark = time.perf_counter() - start
    session.stop()
    same = (workdir / "local.jsonl").read_bytes() == (workdir / "spark.jsonl").read_bytes()
    return SparkRun(crawl_size, local, spark, same)


# --- running and reporting -------------------------------------------------------------------


def in_child(job: Callable[[], T]) -> T:
    """Run one part in a forked process (its own peak RSS; daemon-free, so it may fork)."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=lambda: send.send(job()))
    child.start()
    result: T = receive.recv()
    child.join()
    return result


def render(
    args: argparse.Namespace,
    runs: list[IndexRun],
    scan_result: ScanRun | None,
    quality: list[QualityRun],
    spark: SparkRun | None,
    planted: tuple[int, int],
) -> str:
    lines = [
        "# Scale benchmark",
        "",
        f"`python -m bench.scale {' '.join(sys.argv[1:])}`".replace("  ", " "),
        f"on {machine()}, {time.strftime('%Y-%m-%d')}.",
        "",
        "## 1. Index at scale",
        "",
        "| documents | build time | docs/s | file MB | bytes/doc beyond text | postings/doc "
        "| peak RSS MB | query p50 ms | query p95 ms | spun copies found |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in runs:
        lines.append(
            f"| {run.docs:,} | {run.build_seconds / 60:.1f} min | {run.docs / run.build_seconds:,.0f} "
            f"| {run.file_bytes / 1e6:,.0f} | {run.bytes_per_doc:,.0f} | {run.postings / run.docs:.0f} "
            f"| {run.peak_rss_mb:,.0f} | {run.p50_ms:.1f} | {run.p95_ms:.1f} | {run.copy_found:.1%} |"
        )
    if runs:
        big = runs[-1]
        lines += ["", "Build progress of the largest run (documents, minutes, file MB):", ""]
        lines.append(
            ", ".join(f"{d:,}: {s / 60:.1f} min, {b / 1e6:,.0f} MB" for d, s, b in big.sizes)
        )
        if big.docs < 1_000_000 and len(big.sizes) >= 2:
            (d1, s1, _), (d2, s2, _) = (
                big.sizes[-3] if len(big.sizes) >= 3 else big.sizes[0],
                big.sizes[-1],
            )
            rate = (d2 - d1) / max(s2 - s1, 1e-9)
            est = s2 + (1_000_000 - d2) / rate
            lines += [
                "",
                f"**Extrapolated to 1,000,000 documents** (not measured): the last stretch ran at "
                f"{rate:,.0f} docs/s, so about {est / 60:.0f} min in all if that rate held (it "
                f"falls as the postings B-tree outgrows the page cache, so read this as a lower "
                f"bound), and about {big.bytes_per_doc * 1e6 / 1e9:.1f} GB of index beyond the "
                f"text (bytes per document stay flat with size). Query time grows with the "
                f"number of candidates per fingerprint, i.e. slowly.",
            ]
    if scan_result is not None:
        lines += [
            "",
            "## 2. Scan throughput",
            "",
            f"`unspin.scan.scan` of {scan_result.crawl:,} crawled pages (a fifth copies) against "
            f"an archive of {scan_result.archive:,}, {scan_result.workers} worker processes: "
            f"**{scan_result.rate:,.0f} docs/s** ({scan_result.seconds:.0f} s); "
            f"{scan_result.copies_found:,} of {scan_result.copies_planted:,} planted copies found.",
        ]
    if quality:
        docs, groups = planted
        lines += [
            "",
            "## 3. Cluster quality (no archive)",
            "",
            f"{docs:,} documents: originals, their planted copies ({groups:,} groups of 2-6: "
            "verbatim, spun at 10/30/50%, partial), independent retellings of the same "
            "events (hard negatives) and originals without copies.",
            "",
            "| system | pairwise precision | pairwise recall | ARI | time s | originals named right |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for q in quality:
            right = "" if q.originals_right != q.originals_right else f"{q.originals_right:.1%}"
            lines.append(
                f"| {q.system} | {q.precision:.3f} | {q.recall:.3f} | {q.ari:.3f} "
                f"| {q.seconds:.0f} | {right} |"
            )
    if spark is not None:
        lines += [
            "",
            "## 4. Spark (local[2]) against the local engine (2 processes)",
            "",
            f"{spark.documents:,} documents: local {spark.local_seconds:.0f} s "
            f"({spark.documents / spark.local_seconds:,.0f} docs/s), Spark "
            f"{spark.spark_seconds:.0f} s ({spark.documents / spark.spark_seconds:,.0f} docs/s); "
            f"outputs byte-identical: **{'yes' if spark.identical else 'NO'}**.",
        ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=200_000, help="index size (0: skip)")
    parser.add_argument("--queries", type=int, default=200, help="timed queries (x2)")
    parser.add_argument("--pool", type=int, default=5000, help="generated articles to draw from")
    parser.add_argument("--scan-archive", type=int, default=20_000)
    parser.add_argument("--scan-crawl", type=int, default=4000, help="0: skip")
    parser.add_argument("--cluster-events", type=int, default=1500, help="0: skip")
    parser.add_argument("--spark-crawl", type=int, default=4000, help="0: skip")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    pool = article_pool(args.pool, SEED)
    runs: list[IndexRun] = []
    scan_result: ScanRun | None = None
    quality: list[QualityRun] = []
    spark: SparkRun | None = None
    planted = (0, 0)
    with tempfile.TemporaryDirectory(prefix="unspin-scale-") as folder:
        work = Path(folder)
        if args.docs:
            for n, size in enumerate((args.docs // 2, args.docs)):
                part = work / f"index{n}"
                part.mkdir()
                runs.append(in_child(lambda s=size, p=part: index_run(s, p, pool, args.queries)))
                print(f"index {size:,}: {runs[-1]}", file=sys.stderr, flush=True)
                for leftover in part.iterdir():
                    leftover.unlink()
        if args.scan_crawl:
            part = work / "scan"
            part.mkdir()
            scan_result = in_child(lambda: scan_run(args.scan_archive, args.scan_crawl, part, pool))
            print(f"scan: {scan_result}", file=sys.stderr, flush=True)
        if args.cluster_events:
            events = generate_corpus(
                args.cluster_events, SEED + 2, (0, 2), workers=os.cpu_count() or 1
            )
            crawl, truth = planted_crawl(events, SEED + 3)
            planted = (len(crawl), len({t for i, t in truth.items() if i != t}))
            part = work / "cluster"
            part.mkdir()
            quality.append(in_child(lambda: unspin_clusters(crawl, truth, part)))
            for threshold in (0.5, 0.3):
                quality.append(in_child(lambda t=threshold: minhash_clusters(crawl, truth, t)))
            print(f"cluster: {quality}", file=sys.stderr, flush=True)
        if args.spark_crawl:
            part = work / "spark"
            part.mkdir()
            spark = in_child(lambda: spark_run(args.scan_archive, args.spark_crawl, part, pool))
            print(f"spark: {spark}", file=sys.stderr, flush=True)
    report = render(args, runs, scan_result, quality, spark, planted)
    print(report)
    if not args.no_write:
        RESULTS.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

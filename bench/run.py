"""The retrieval benchmark: unspin against datasketch MinHashLSH, same data, same run.

    .venv/bin/python -m bench.run                 # 20,000 originals, writes bench/RESULTS.md
    .venv/bin/python -m bench.run --events 2000 --per-cell 10 --negatives 30 --no-write
                                                  # a quick look at every kind (~2 minutes)

What it does:

1. builds a synthetic archive (``bench/corpus.py``): originals plus
   same-story retellings by other outlets (hard negatives), all indexed;
2. makes copies of sampled originals with unspin's test-data generator:
   verbatim, and spun / partial / stitched / homoglyph / boilerplate /
   encoding-loss at swap rates of 10%, 30% and 50%;
3. makes negatives: unrelated articles and held-out independent retellings
   of indexed events (never indexed themselves);
4. adds the newer kinds of ``bench/kinds.py`` (syndicated, repeated,
   short-passage, bullets, reflowed, reordered, stitched-20, shared-statement
   and one per language), with the documents they need in the archive;
5. indexes everything with unspin and with MinHashLSH (word 5-gram shingles,
   128 permutations) at threshold 0.5 and at the best threshold found on a
   tuning split, and queries both with every copy and negative;
6. prints markdown tables (and writes them to ``bench/RESULTS.md``): every
   (kind, rate) cell, the summary (its first lines measure only the first
   benchmark's kinds, so they compare with earlier runs), and each newer
   kind against the issue's targets. ``--failures`` lists unspin's wrong
   answers.

A "false match" is a negative for which a system names any source as copied
(for unspin: a match with verdict verbatim, spun or partial; for MinHashLSH:
any candidate above its threshold). Negatives: unrelated, independent and
shared-statement queries.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import multiprocessing
import os
import platform
import random
import resource
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from bench.baseline import EmbeddingBaseline, MinHashBaseline, best_threshold, sweep_thresholds
from bench.corpus import Event, generate_corpus, generate_unrelated, make_event
from bench.kinds import (
    NEGATIVE_KINDS,
    NEW_KINDS,
    SHORT_PASSAGE_KINDS,
    KindSet,
    Query,
    build_new_kinds,
)
from bench.rewrites import (
    RETOLD_KIND,
    REWRITE_KINDS,
    TARGET_RETOLD_FALSE,
    TARGETS,
    rewrite_kinds,
)
from unspin import Index
from unspin.model import COPY_VERDICTS, Document
from unspin.synthetic import make_variant

RATES = (0.1, 0.3, 0.5)
COPY_KINDS = ("spun", "partial", "stitched", "homoglyph", "boilerplate", "encoding_loss")
EXPECTED_VERDICT = {
    "verbatim": "verbatim",
    "spun": "spun",
    "homoglyph": "spun",
    "boilerplate": "spun",
    "encoding_loss": "spun",
    "partial": "partial",
    "stitched": "partial",
    "independent": "independent",
    "unrelated": "unrelated",
}
NEGATIVES = (*NEGATIVE_KINDS, RETOLD_KIND)
"""Kinds whose queries copy nothing: any copy verdict is a false match."""
SEED = 20261125
OLD_KINDS = ("verbatim", *COPY_KINDS, "independent", "unrelated")
"""The kinds of the first benchmark: their summary lines keep their meaning."""
KIND_ORDER = (
    "verbatim",
    *COPY_KINDS,
    *(k for k in NEW_KINDS if k not in NEGATIVES),
    *REWRITE_KINDS.values(),
    *NEGATIVES,
)
STITCHED_KINDS = ("stitched", "stitched-20")
"""Kinds with several sources per query (the table adds the share of sources found)."""
TARGET_RECALL = 0.99
TARGET_ACCURACY = 0.97
TARGET_FALSE_MATCH = 0.01
"""The issue's targets for each new kind (shared-statement: copy verdicts at most 1%)."""


@dataclass(slots=True)
class Tally:
    """Per (kind, rate) counts for one system."""

    total: int = 0
    hit_at_1: int = 0
    sources_found: int = 0
    sources_expected: int = 0
    false_match: int = 0
    verdict_right: int = 0
    passages_expected: int = 0
    passage_found: int = 0


@dataclass(slots=True)
class SystemRun:
    name: str
    index_seconds: float = 0.0
    index_bytes: int = 0
    latencies: list[float] = field(default_factory=list)
    """Seconds per query of the first benchmark's kinds (comparable with earlier runs)."""
    new_latencies: list[float] = field(default_factory=list)
    """Seconds per query of the newer kinds."""
    failures: list[str] = field(default_factory=list)
    """One line per query with a wrong verdict or a wrong best source (unspin only)."""
    tallies: dict[tuple[str, float], Tally] = field(default_factory=lambda: defaultdict(Tally))
    peak_rss_mb: float = 0.0


def build_queries(
    events: Sequence[Event],
    held_out: Sequence[Event],
    unrelated: Sequence[Document],
    per_cell: int,
    seed: int,
) -> list[Query]:
    rng = random.Random(seed)
    originals = [e.original for e in events]
    queries: list[Query] = []
    for doc in rng.sample(originals, per_cell):
        variant = make_variant("verbatim", [doc], rate=0.0, seed=rng.getrandbits(32))
        queries.append(
            Query(
                "verbatim",
                0.0,
                Document(f"q-verbatim-{doc.id}", variant.text),
                variant.source_ids,
                "verbatim",
            )
        )
    for kind in COPY_KINDS:
        for rate in RATES:
            for n in range(per_cell):
                group = rng.sample(originals, 3 if kind == "stitched" else 1)
                if kind == "stitched":
                    group = group[: rng.choice((2, 3))]
                variant = make_variant(kind, group, rate=rate, seed=rng.getrandbits(32))
                queries.append(
                    Query(
                        kind,
                        rate,
                        Document(f"q-{kind}-{rate}-{n}", variant.text),
                        list(dict.fromkeys(variant.source_ids)),
                        EXPECTED_VERDICT[kind],
                    )
                )
    for event in held_out:
        queries.append(Query("independent", 0.0, event.retellings[-1], [], "independent"))
    for doc in unrelated:
        queries.append(Query("unrelated", 0.0, doc, [], "unrelated"))
    return queries


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_unspin(archive: list[Document], queries: list[Query], workdir: Path) -> SystemRun:
    run = SystemRun("unspin")
    path = workdir / "unspin.db"
    with Index(path) as index:
        # Warm the lexicon outside the timings: it is loaded once per process.
        index.check(archive[0].text)
        start = time.perf_counter()
        index.add(archive)
        run.index_seconds = time.perf_counter() - start
    # Closing checkpoints the write-ahead log, so the file holds everything.
    run.index_bytes = sum(p.stat().st_size for p in workdir.glob("unspin.db*"))
    with Index(path, create=False) as index:
        index.check(archive[0].text)
        for query in queries:
            start = time.perf_counter()
            result = index.check(query.document)
            latency(run, query).append(time.perf_counter() - start)
            copying = [m for m in result.matches if m.verdict in COPY_VERDICTS]
            tally(run, query, [m.source_id for m in copying], result.verdict)
            best = copying[0].source_id if copying else "-"
            if result.verdict != query.expected or (query.sources and best not in query.sources):
                run.failures.append(
                    f"{query.document.id}: expected {query.expected} from "
                    f"{','.join(query.sources[:3]) or '-'}; got {result.verdict}, best copy "
                    f"match {best}"
                    + "".join(
                        f" [{m.source_id} {m.verdict} cov {m.coverage:.2f} "
                        f"src {m.source_coverage:.2f} spin {m.spin_rate:.2f}]"
                        for m in result.matches[:2]
                    )
                )
            if query.passage is not None:
                spans = [(p.copy_start, p.copy_end) for p in copying[0].passages] if copying else []
                tally_passage(run, query, query.passage, spans)
    run.peak_rss_mb = peak_rss_mb()
    return run


def latency(run: SystemRun, query: Query) -> list[float]:
    return run.latencies if query.kind in OLD_KINDS else run.new_latencies


def tally_passage(
    run: SystemRun, query: Query, expected: tuple[int, int], found: list[tuple[int, int]]
) -> None:
    """Whether the best match's passages locate the copied passage: they cover at
    least 80% of its characters and spill over by at most 20% of its length."""
    cell = run.tallies[(query.kind, query.rate)]
    cell.passages_expected += 1
    start, end = expected
    inside = sum(max(0, min(end, e) - max(start, s)) for s, e in found)
    outside = sum(e - s for s, e in found) - inside
    cell.passage_found += inside >= 0.8 * (end - start) and outside <= 0.2 * (end - start)


T = TypeVar("T")


def in_child(job: Callable[[], T]) -> T:
    """Run one system in a forked process, so that its peak RSS is its own.

    A plain Process, not a Pool: pool workers are daemons, and daemons may
    not start the worker processes that indexing uses.
    """
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=lambda: send.send(job()))
    child.start()
    result: T = receive.recv()
    child.join()
    return result


def run_minhash(
    name: str, archive: list[Document], queries: list[Query], threshold: float
) -> SystemRun:
    run = SystemRun(name)
    start = time.perf_counter()
    baseline = MinHashBaseline(threshold=threshold)
    baseline.add_many((doc.id, doc.text) for doc in archive)
    run.index_seconds = time.perf_counter() - start
    return query_baseline(run, queries, baseline.query)


def query_baseline(
    run: SystemRun, queries: list[Query], lookup: Callable[[str], list[tuple[str, float]]]
) -> SystemRun:
    """A baseline's answers to every query: the ids it names, timed and tallied."""
    for query in queries:
        start = time.perf_counter()
        found = [doc_id for doc_id, _ in lookup(query.document.text)]
        latency(run, query).append(time.perf_counter() - start)
        tally(run, query, found, None)
    run.peak_rss_mb = peak_rss_mb()
    return run


def run_embedding(archive: list[Document], queries: list[Query], tuning: list[Query]) -> SystemRun:
    """The embedding-only baseline: nearest document by meaning, threshold tuned on the
    tuning split (other seeds)."""
    baseline = EmbeddingBaseline()
    start = time.perf_counter()
    baseline.add_many((doc.id, doc.text) for doc in archive)
    index_seconds = time.perf_counter() - start
    threshold = baseline.tune(
        [(q.document.text, q.sources[0] if q.sources else None) for q in tuning]
    )
    run = SystemRun(f"embedding NN t={threshold:.3f} (tuned)", index_seconds=index_seconds)
    return query_baseline(run, queries, baseline.query)


def tally(run: SystemRun, query: Query, copies: list[str], verdict: str | None) -> None:
    cell = run.tallies[(query.kind, query.rate)]
    cell.total += 1
    if query.sources:
        cell.hit_at_1 += bool(copies) and copies[0] in query.sources
        cell.sources_expected += len(query.sources)
        cell.sources_found += len(set(copies) & set(query.sources))
        cell.false_match += any(c not in query.sources for c in copies[:1])
    else:
        cell.false_match += bool(copies)
    if verdict is not None:
        cell.verdict_right += verdict == query.expected


def p95(run: SystemRun) -> float:
    return percentile(run.latencies, 0.95)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    python = platform.python_version()
    return f"{cpu}, {os.cpu_count()} cores, {memory_gb:.0f} GiB RAM, Python {python}"


def render(
    runs: list[SystemRun], n_archive: int, queries: list[Query], events: int, added: int = 0
) -> str:
    cells = sorted(
        {(q.kind, q.rate) for q in queries}, key=lambda c: (KIND_ORDER.index(c[0]), c[1])
    )
    expected: dict[tuple[str, float], list[str]] = defaultdict(list)
    rates: dict[str, set[float]] = defaultdict(set)
    for q in queries:
        if q.expected not in expected[(q.kind, q.rate)]:
            expected[(q.kind, q.rate)].append(q.expected)
        rates[q.kind].add(q.rate)
    extra = (
        f", plus {added:,} documents for the newer kinds (syndicated copies, list articles, "
        "repeating sources, shared-statement originals, other languages)"
        if added
        else ""
    )
    lines = [
        f"# Benchmark results\n\n{dt.date.today().isoformat()} on {machine()}.\n",
        f"Archive: {n_archive:,} documents ({events:,} originals plus same-story retellings by "
        f"other outlets{extra}). {len(queries):,} queries. "
        "Command: `.venv/bin/python -m bench.run`.\n",
        "## Retrieval: recall@1 of the true source (negatives: false-match rate)\n",
        "| copy kind | swap rate | n | " + " | ".join(r.name for r in runs)
        + " | unspin verdict accuracy |",
        "|---|---|---|" + "---|" * (len(runs) + 1),
    ]
    for kind, rate in cells:
        shown_rate = f"{rate:.0%}" if rates[kind] != {0.0} else "-"
        row = [kind, shown_rate, str(runs[0].tallies[(kind, rate)].total)]
        for run in runs:
            t = run.tallies[(kind, rate)]
            if kind in NEGATIVES:
                row.append(f"false {t.false_match / t.total:.1%}")
            elif kind in STITCHED_KINDS:
                found = t.sources_found / t.sources_expected
                row.append(f"{t.hit_at_1 / t.total:.3f} (all sources: {found:.3f})")
            else:
                row.append(f"{t.hit_at_1 / t.total:.3f}")
        mine = runs[0].tallies[(kind, rate)]
        label = "/".join(expected[(kind, rate)])
        row.append(f"{mine.verdict_right / mine.total:.3f} ({label})")
        lines.append("| " + " | ".join(row) + " |")

    lines += [
        "",
        "## Summary",
        "",
        "| metric | " + " | ".join(r.name for r in runs) + " |",
        "|---|" + "---|" * len(runs),
    ]

    def summary(label: str, value: Callable[[SystemRun], str]) -> None:
        lines.append(f"| {label} | " + " | ".join(value(r) for r in runs) + " |")

    def recall_at(run: SystemRun, rate: float) -> str:
        cells_at = [
            t
            for (k, r), t in run.tallies.items()
            if r == rate and k in OLD_KINDS and k != "stitched"
        ]
        hits = sum(t.hit_at_1 for t in cells_at)
        total = sum(t.total for t in cells_at)
        return f"{hits / total:.3f}" if total else "-"

    for rate in RATES:
        summary(
            f"recall@1, all copy kinds but stitched, {rate:.0%} swaps",
            functools.partial(recall_at, rate=rate),
        )

    def false_rate(run: SystemRun, kinds: Sequence[str]) -> str:
        negatives = [t for (k, _), t in run.tallies.items() if k in kinds]
        return (
            f"{sum(t.false_match for t in negatives) / max(sum(t.total for t in negatives), 1):.2%}"
        )

    summary(
        "false-match rate (unrelated + independent)",
        functools.partial(false_rate, kinds=("independent", "unrelated")),
    )
    unspin_run = runs[0]

    def accuracy_over(kinds: Sequence[str]) -> float:
        chosen = [t for (k, _), t in unspin_run.tallies.items() if k in kinds]
        return sum(t.verdict_right for t in chosen) / max(sum(t.total for t in chosen), 1)

    accuracy = accuracy_over(("verbatim", "spun", "partial", "independent"))
    overall = accuracy_over([k for k in OLD_KINDS if k != "stitched"])
    summary(
        "verdict accuracy (verbatim, spun, partial, independent)",
        lambda r: f"{accuracy:.3f}" if r is unspin_run else "n/a",
    )
    summary(
        "verdict accuracy (every kind but stitched)",
        lambda r: f"{overall:.3f}" if r is unspin_run else "n/a",
    )
    summary("index docs/s", lambda r: f"{n_archive / r.index_seconds:,.0f}")
    summary("query p50 ms", lambda r: f"{percentile(r.latencies, 0.5):.1f}")
    summary("query p95 ms", lambda r: f"{percentile(r.latencies, 0.95):.1f}")
    summary("peak RSS MB (own process, corpus in memory)", lambda r: f"{r.peak_rss_mb:,.0f}")
    summary(
        "index bytes per document",
        lambda r: f"{r.index_bytes / n_archive:,.0f}" if r.index_bytes else "in memory",
    )
    new_kinds = [k for k in NEW_KINDS if k in rates]
    if new_kinds:
        new_copies = [k for k in new_kinds if k not in NEGATIVES]

        def new_recall(run: SystemRun) -> str:
            chosen = [t for (k, _), t in run.tallies.items() if k in new_copies]
            return f"{sum(t.hit_at_1 for t in chosen) / max(sum(t.total for t in chosen), 1):.3f}"

        new_accuracy = accuracy_over(new_kinds)
        summary("recall@1, newer copy kinds (every rate)", new_recall)
        summary(
            "verdict accuracy, newer kinds",
            lambda r: f"{new_accuracy:.3f}" if r is unspin_run else "n/a",
        )
        summary(
            "false-match rate (unrelated + independent + shared-statement)",
            functools.partial(false_rate, kinds=NEGATIVES),
        )
        located = [
            t for (k, _), t in unspin_run.tallies.items() if k in SHORT_PASSAGE_KINDS
        ]
        if sum(t.passages_expected for t in located):
            share = sum(t.passage_found for t in located) / sum(
                t.passages_expected for t in located
            )
            summary(
                "short passages located (best match's passages cover 80%+, spill 20%-)",
                lambda r: f"{share:.3f}" if r is unspin_run else "n/a",
            )
        summary(
            "query p95 ms, newer kinds",
            lambda r: f"{percentile(r.new_latencies, 0.95):.1f}" if r.new_latencies else "-",
        )
        lines += ["", *targets(unspin_run, new_kinds)]
    if any(k in rates for k in TARGETS):
        lines += ["", *rewrite_targets(runs, [k for k in (*TARGETS, RETOLD_KIND) if k in rates])]
    base = runs[1]
    lines += [
        "",
        f"Ratios unspin / {base.name}: index speed "
        f"{(n_archive / unspin_run.index_seconds) / (n_archive / base.index_seconds):.2f}x, "
        f"query p95 {p95(unspin_run) / p95(base):.2f}x.",
        "",
    ]
    return "\n".join(lines)


def targets(run: SystemRun, kinds: Sequence[str]) -> list[str]:
    """One line per newer kind, every rate together, against the issue's targets."""
    lines = [
        "## Newer kinds against the targets",
        "",
        f"Targets: recall@1 >= {TARGET_RECALL} and verdict accuracy >= {TARGET_ACCURACY} per "
        f"copy kind; copy verdicts on shared-statement <= {TARGET_FALSE_MATCH:.0%}.",
        "",
        "| kind | n | unspin recall@1 | false matches | verdict accuracy | met |",
        "|---|---|---|---|---|---|",
    ]
    for kind in kinds:
        chosen = [t for (k, _), t in run.tallies.items() if k == kind]
        total = sum(t.total for t in chosen)
        accuracy = sum(t.verdict_right for t in chosen) / max(total, 1)
        false = sum(t.false_match for t in chosen) / max(total, 1)
        if kind in NEGATIVES:
            recall_text = "-"
            met = false <= TARGET_FALSE_MATCH
        else:
            recall = sum(t.hit_at_1 for t in chosen) / max(total, 1)
            recall_text = f"{recall:.3f}"
            met = recall >= TARGET_RECALL and accuracy >= TARGET_ACCURACY
        lines.append(
            f"| {kind} | {total} | {recall_text} | {false:.1%} | {accuracy:.3f} | "
            f"{'yes' if met else 'no'} |"
        )
    return lines


def rewrite_targets(runs: list[SystemRun], kinds: Sequence[str]) -> list[str]:
    """One line per rewritten-copy kind against issue 13's targets, every system's recall."""
    unspin_run = runs[0]
    lines = [
        "## Rewritten copies against the targets",
        "",
        "Fixtures: `samples/rewrites/` (hand-written rewrites and same-event retellings of "
        "`samples/corpus/`, indexed with the archive). Targets: recall@1 and share of verdicts "
        f"`rewritten` per kind; copy verdicts on retellings <= {TARGET_RETOLD_FALSE:.0%}.",
        "",
        "| kind | n | " + " | ".join(f"{r.name} recall@1" for r in runs)
        + " | unspin verdict rewritten (else) | met |",
        "|---|---|" + "---|" * (len(runs) + 2),
    ]
    for kind in kinds:
        cells = [t for (k, _), t in unspin_run.tallies.items() if k == kind]
        total = sum(t.total for t in cells)
        recalls = []
        for run in runs:
            chosen = [t for (k, _), t in run.tallies.items() if k == kind]
            if kind == RETOLD_KIND:
                recalls.append(f"false {sum(t.false_match for t in chosen) / max(total, 1):.1%}")
            else:
                recalls.append(f"{sum(t.hit_at_1 for t in chosen) / max(total, 1):.3f}")
        right = sum(t.verdict_right for t in cells) / max(total, 1)
        if kind == RETOLD_KIND:
            false = sum(t.false_match for t in cells) / max(total, 1)
            met = false <= TARGET_RETOLD_FALSE
            shown = f"{right:.3f} independent"
        else:
            recall = sum(t.hit_at_1 for t in cells) / max(total, 1)
            met = recall >= TARGETS[kind][0] and right >= TARGETS[kind][1]
            shown = f"{right:.3f}"
        lines.append(
            f"| {kind} | {total} | " + " | ".join(recalls) + f" | {shown} | "
            f"{'yes' if met else 'no'} |"
        )
    return lines


def tuned_threshold(archive: list[Document], tuning: list[Query]) -> float:
    """The MinHashLSH threshold with the best top-1 F1 on a tuning split of queries."""
    baseline = MinHashBaseline(threshold=0.5)
    baseline.add_many((doc.id, doc.text) for doc in archive)
    expected = [(q.document.text, q.sources[0] if q.sources else None) for q in tuning]
    return best_threshold(sweep_thresholds(baseline, expected)).threshold


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000, help="originals in the archive")
    parser.add_argument("--per-cell", type=int, default=100, help="queries per copy kind and rate")
    parser.add_argument(
        "--negatives", type=int, default=300, help="unrelated and independent queries, each"
    )
    parser.add_argument(
        "--new-per-cell",
        type=int,
        default=None,
        help="queries per cell of the newer kinds (default: half of --per-cell; 0: leave "
        "the newer kinds out)",
    )
    parser.add_argument(
        "--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone"
    )
    parser.add_argument(
        "--no-rewrites",
        dest="rewrites",
        action="store_false",
        help="leave out the rewritten-copy kinds (samples/rewrites fixtures)",
    )
    parser.add_argument(
        "--failures", action="store_true", help="list unspin's wrong answers on stderr"
    )
    args = parser.parse_args(argv)
    new_per_cell = max(2, args.per_cell // 2) if args.new_per_cell is None else args.new_per_cell

    started = time.perf_counter()
    print(f"building corpus: {args.events:,} events ...", file=sys.stderr)
    events = generate_corpus(args.events, SEED, retellings_per_event=(0, 2))
    archive = [d for e in events for d in (e.original, *e.retellings)]
    held_out = [make_event(i, SEED + 1, 1, namespace="ho") for i in range(args.negatives)]
    # A held-out event's original is indexed; its retelling is the independent query.
    archive += [e.original for e in held_out]
    unrelated = generate_unrelated(args.negatives, SEED + 2)
    queries = build_queries(events, held_out, unrelated, args.per_cell, SEED + 3)
    newer = (
        build_new_kinds(
            [e.original for e in events],
            events=args.events,
            per_cell=new_per_cell,
            negatives=args.negatives,
            seed=SEED + 7,
        )
        if new_per_cell
        else KindSet()
    )
    archive += newer.archive
    queries += newer.queries
    rewrites = rewrite_kinds() if args.rewrites else None
    if rewrites is not None:
        archive += rewrites.archive
        queries += rewrites.queries
    # The tuning split shares no query with the measured one (other seeds).
    tuning = build_queries(events, [], generate_unrelated(60, SEED + 6), 10, SEED + 4)
    print(
        f"corpus ready: {len(archive):,} archive documents, {len(queries):,} queries "
        f"({time.perf_counter() - started:.0f} s)",
        file=sys.stderr,
    )

    runs: list[SystemRun] = []
    with tempfile.TemporaryDirectory() as tmp:
        runs.append(in_child(functools.partial(run_unspin, archive, queries, Path(tmp))))
        print("unspin done", file=sys.stderr)
        if args.failures:
            print("\n".join(runs[0].failures), file=sys.stderr)
    threshold = in_child(functools.partial(tuned_threshold, archive, tuning))
    settings = (("MinHashLSH t=0.5", 0.5), (f"MinHashLSH t={threshold:g} (tuned)", threshold))
    for name, value in settings:
        runs.append(in_child(functools.partial(run_minhash, name, archive, queries, value)))
    if rewrites is not None:
        runs.append(in_child(functools.partial(run_embedding, archive, queries, tuning)))
    table = render(runs, len(archive), queries, args.events, len(newer.archive))
    print(table)
    if not args.no_write:
        Path(__file__).with_name("RESULTS.md").write_text(table, encoding="utf-8")
    print(f"total {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Clusters of copies inside one crawl, without an archive, each with its presumed original.

The crawl is its own archive: its documents go into a temporary index, each
stored document is checked against it (the crawl is read and its pages
extracted only once), and every copy verdict (verbatim, spun or partial)
between two different documents is a link. Linked documents form a
cluster (union-find, so copies of copies join their original's cluster).

The presumed original of a cluster is its earliest published member (ISO
dates compare as text; undated members come last), ties broken by the least
spin (the mean spin rate of a member's links: the original is the hub every
spun copy differs from by one spin, while copies differ from each other by
two) and then by id.

A crawl takes hours to cluster, so a run keeps its work in a folder named
after its inputs: the crawl's index, and a ledger of the documents checked
and the links found, committed batch by batch. A killed run resumes from
there, as a scan does; a finished one removes the folder.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import astuple, dataclass
from functools import partial
from pathlib import Path
from typing import Any

from unspin.api import Index
from unspin.errors import UnspinError
from unspin.io import BadRecord, InputFile, find_inputs
from unspin.model import UNKNOWN_SITE, Document, site_of
from unspin.scan.crawl import positioned, read_crawl
from unspin.scan.engine import (
    DEFAULT_BATCH,
    Batch,
    Link,
    Linked,
    link_batch,
    run_local,
    stored_records,
)
from unspin.scan.scan import Engine
from unspin.schema import DECIMALS
from unspin.storage import Schema, connect

_IDS_PER_SPARK_PART = 2_000


@dataclass(slots=True)
class Cluster:
    """A group of documents linked by copying, and its presumed original."""

    original: str
    members: list[Document]
    """Every member, the original first, then by id."""
    links: list[Link]
    spin: dict[str, float]
    """Each member's mean spin rate over its links."""


@dataclass(slots=True)
class ClusterReport:
    clusters: list[Cluster]
    documents: int
    bad_records: list[BadRecord]


def find_clusters(
    inputs: Sequence[str | Path],
    *,
    engine: Engine = "local",
    workers: int | None = None,
    master: str | None = None,
    work_dir: str | Path | None = None,
    batch_size: int = DEFAULT_BATCH,
    on_progress: Callable[[int], None] | None = None,
    on_bad: Callable[[BadRecord], None] | None = None,
) -> ClusterReport:
    """Find the clusters of copies among the documents of ``inputs`` (files, folders, globs).

    ``work_dir`` holds the temporary index (default: the system's temporary
    folder; on a Spark cluster it must be storage every executor can read), in
    a folder named after the inputs: a rerun after a crash reuses the documents
    indexed so far, and the folder is removed when clustering is done.
    ``on_progress`` gets the number of documents checked so far.
    """
    files, problems = find_inputs(inputs)
    if not files:
        reasons = "; ".join(str(p) for p in problems) or "no inputs"
        raise UnspinError(f"nothing to cluster: {reasons}")
    bad: list[BadRecord] = list(problems)
    for problem in problems:
        if on_bad is not None:
            on_bad(problem)
    if work_dir is not None and not Path(work_dir).is_dir():
        raise UnspinError(f"{work_dir}: no such folder for the work of clustering")
    folder = _work_folder(files, work_dir)
    folder.mkdir(exist_ok=True)
    with _removed_when_done(folder):
        index_path = folder / "crawl.db"
        with Index(index_path) as archive:

            def documents() -> Iterator[Document]:
                for record in read_crawl(files):
                    if isinstance(record.item, BadRecord):
                        bad.append(record.item)
                        if on_bad is not None:
                            on_bad(record.item)
                    else:
                        yield record.item

            archive.add(documents(), workers=workers)
            with LinkLedger(folder / "links.db") as ledger:
                done = ledger.done_ids()
                checked = len(done)
                for batch in _link_batches(
                    engine, archive, str(index_path), done, workers, master, batch_size
                ):
                    ledger.commit(batch.results)
                    checked += batch.documents
                    if on_progress is not None:
                        on_progress(checked)
                links = ledger.links()
            clusters = group_links(links, archive.get)
            total = len(archive)
    return ClusterReport(clusters, total, bad)


def _work_folder(files: Sequence[InputFile], work_dir: str | Path | None) -> Path:
    """The folder of the crawl's temporary index: the same for a rerun over the same inputs,
    so a rerun after a crash reuses what was indexed (and cleans it up when done)."""
    inputs = "\n".join(sorted(str(f.path.resolve()) for f in files))
    key = hashlib.sha256(inputs.encode()).hexdigest()[:16]
    return Path(work_dir or tempfile.gettempdir()) / f"unspin-cluster-{key}"


@contextmanager
def _removed_when_done(folder: Path) -> Iterator[None]:
    """Remove ``folder`` once the work is done; an interrupted run leaves it for the rerun."""
    yield
    shutil.rmtree(folder, ignore_errors=True)


def _link_batches(
    engine: Engine,
    archive: Index,
    index_path: str,
    done: set[str],
    workers: int | None,
    master: str | None,
    batch_size: int,
) -> Iterator[Batch[Linked]]:
    """The links of every document stored in the crawl's index but those in ``done``."""
    if engine == "spark":
        from unspin.scan.spark import run_spark

        ids = [document.id for document in archive.iter_documents() if document.id not in done]
        step = _IDS_PER_SPARK_PART
        parts = list(enumerate(ids[start : start + step] for start in range(0, len(ids), step)))
        read_part = partial(stored_records, index_path)
        return run_spark(
            link_batch,
            index_path,
            parts,
            read_part,
            expected=len(ids),
            master=master,
            batch_size=batch_size,
        )
    if engine != "local":
        raise UnspinError(f"unknown engine {engine!r}; expected local or spark")
    stored = positioned(archive.iter_documents(), 0)
    return run_local(
        link_batch, index_path, stored, workers=workers, batch_size=batch_size, skip=done
    )


def _create_link_tables(db: sqlite3.Connection) -> None:
    db.execute("CREATE TABLE checked (id TEXT PRIMARY KEY)")
    db.execute(
        "CREATE TABLE links (copy TEXT NOT NULL, source TEXT NOT NULL, verdict TEXT NOT NULL, "
        "score REAL NOT NULL, spin_rate REAL NOT NULL, coverage REAL NOT NULL)"
    )


LINK_LEDGER = Schema("cluster", 1, _create_link_tables, too_old="delete it")


class LinkLedger:
    """The checked ids and copy links of one clustering run, committed batch by batch.

    It lives in the run's work folder beside the crawl's temporary index, so a
    killed ``cluster`` resumes where it stopped, as a scan does.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._database = connect(
            path, "create", schemas=[LINK_LEDGER], what="cluster ledger", remedy="delete it"
        )

    def __enter__(self) -> LinkLedger:
        return self

    def __exit__(self, *exc: object) -> None:
        self._database.close()

    def done_ids(self) -> set[str]:
        """Ids of every document already checked."""
        return {row[0] for row in self._database.query("SELECT id FROM checked")}

    def commit(self, checked: Iterable[Linked]) -> None:
        """Record a batch of checked documents and their links, all or nothing."""
        batch = list(checked)
        with self._database.transaction() as db:
            db.executemany("INSERT OR IGNORE INTO checked VALUES (?)", ((d.id,) for d in batch))
            db.executemany(
                "INSERT INTO links VALUES (?, ?, ?, ?, ?, ?)",
                (astuple(link) for d in batch for link in d.links),
            )

    def links(self) -> list[Link]:
        """Every link found, this run's and earlier runs'."""
        rows = self._database.query("SELECT * FROM links ORDER BY copy, source")
        return [Link(*row) for row in rows]


def group_links(links: Iterable[Link], lookup: Callable[[str], Document | None]) -> list[Cluster]:
    """Union-find the linked documents into clusters; ``lookup`` gives each member's metadata.

    A pair linked both ways keeps its stronger link. Clusters come out in
    order of their original's id, so the result does not depend on the order
    links were found in (which the Spark engine does not fix).
    """
    best: dict[tuple[str, str], Link] = {}
    for link in links:
        pair = (min(link.copy, link.source), max(link.copy, link.source))
        kept = best.get(pair)
        if kept is None or _strength(link) > _strength(kept):
            best[pair] = link
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in sorted(best):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = defaultdict(list)
    for node in sorted(parent):
        groups[root(node)].append(node)
    spins: dict[str, list[float]] = defaultdict(list)
    group_links_of: dict[str, list[Link]] = defaultdict(list)
    for pair, link in sorted(best.items()):
        spins[link.copy].append(link.spin_rate)
        spins[link.source].append(link.spin_rate)
        group_links_of[root(pair[0])].append(link)
    clusters: list[Cluster] = []
    for key, ids in groups.items():
        members = [lookup(i) or Document(i, "") for i in ids]
        spin = {i: sum(spins[i]) / len(spins[i]) for i in ids}
        original = min(members, key=lambda d: _original_rank(d, spin[d.id]))
        ordered = [original, *(m for m in members if m.id != original.id)]
        clusters.append(Cluster(original.id, ordered, group_links_of[key], spin))
    clusters.sort(key=lambda c: c.original)
    return clusters


def _strength(link: Link) -> tuple[float, str, str]:
    return (link.score, link.copy, link.source)


def _original_rank(document: Document, spin: float) -> tuple[bool, str, float, str]:
    return (document.published is None, document.published or "", spin, document.id)


def cluster_to_json(cluster: Cluster) -> dict[str, Any]:
    """One output row: the original, the members and the links between them."""
    return {
        "original": cluster.original,
        "size": len(cluster.members),
        "members": [
            {
                "id": m.id,
                "url": m.url,
                "site": site_of(m) or UNKNOWN_SITE,
                "published": m.published,
                "spin": round(cluster.spin[m.id], 6),
            }
            for m in cluster.members
        ],
        "links": [
            {
                "copy": link.copy,
                "source": link.source,
                "verdict": link.verdict,
                "score": round(link.score, DECIMALS),
                "spin_rate": round(link.spin_rate, DECIMALS),
                "coverage": round(link.coverage, DECIMALS),
            }
            for link in cluster.links
        ],
    }

"""``unspin cluster``: groups of copies inside one crawl, each with its original."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from unspin.cli import app
from unspin.model import UNKNOWN_SITE, Document
from unspin.scan import Link, cluster_to_json, find_clusters
from unspin.scan.cluster import group_links
from unspin.scan.engine import Linked, link_batch
from unspin.synthetic import make_variant


def planted_crawl(sources: list[Document], groups: int) -> tuple[list[Document], dict[str, str]]:
    """Originals with dated spun/verbatim/partial copies, plus untouched singletons.

    Returns the crawl and, for each copy, its original's id.
    """
    crawl: list[Document] = []
    truth: dict[str, str] = {}
    for number, source in enumerate(sources):
        original = Document(
            f"g{number}-original",
            source.text,
            site="wire.example",
            published=f"2024-01-{number % 28 + 1:02d}",
        )
        crawl.append(original)
        if number >= groups:
            continue  # a singleton: no copies anywhere
        truth[original.id] = original.id
        for copy_number, kind in enumerate(("spun", "verbatim", "spun", "partial")):
            variant = make_variant(kind, [source], rate=0.3, seed=100 * number + copy_number)
            copy = Document(
                f"g{number}-copy{copy_number}",
                variant.text,
                site=f"farm{copy_number}.example",
                published=f"2024-02-{number % 28 + 1:02d}",
            )
            crawl.append(copy)
            truth[copy.id] = original.id
    return crawl, truth


def write_jsonl(path: Path, documents: list[Document]) -> Path:
    with path.open("w", encoding="utf-8") as file:
        for d in documents:
            file.write(
                json.dumps({"id": d.id, "text": d.text, "site": d.site, "published": d.published})
                + "\n"
            )
    return path


def test_planted_groups_come_back_with_their_originals(
    tmp_path: Path, sample_documents: list[Document]
) -> None:
    crawl, truth = planted_crawl(sample_documents[:12], groups=6)
    source = write_jsonl(tmp_path / "crawl.jsonl", crawl)
    report = find_clusters([source], workers=1)
    found = {frozenset(m.id for m in c.members): c.original for c in report.clusters}
    expected: dict[frozenset[str], str] = {}
    for original in set(truth.values()):
        expected[frozenset(d for d, o in truth.items() if o == original)] = original
    assert found == expected
    assert report.documents == len(crawl)
    for cluster in report.clusters:
        assert all(link.copy != link.source for link in cluster.links)
        assert {link.verdict for link in cluster.links} <= {"verbatim", "spun", "partial"}


def test_original_is_earliest_then_least_spun() -> None:
    documents = {
        "late": Document("late", "x", published="2024-03-01"),
        "early-spun": Document("early-spun", "x", published="2024-01-01"),
        "early-clean": Document("early-clean", "x", published="2024-01-01"),
        "undated": Document("undated", "x"),
    }
    links = [
        Link("early-spun", "late", "spun", 0.8, 0.4, 0.9),
        Link("early-clean", "late", "verbatim", 0.9, 0.0, 1.0),
        Link("undated", "early-clean", "verbatim", 0.9, 0.0, 1.0),
        Link("late", "early-clean", "verbatim", 0.7, 0.0, 1.0),  # weaker twin: dropped
    ]
    [cluster] = group_links(links, documents.get)
    assert cluster.original == "early-clean"
    assert [m.id for m in cluster.members] == ["early-clean", "early-spun", "late", "undated"]
    assert len(cluster.links) == 3
    # The same links in another order give the same clusters.
    assert group_links(reversed(links), documents.get) == [cluster]


def test_cli_cluster_writes_one_row_per_cluster(
    tmp_path: Path, sample_documents: list[Document]
) -> None:
    crawl, _ = planted_crawl(sample_documents[:4], groups=2)
    source = write_jsonl(tmp_path / "crawl.jsonl", crawl)
    (tmp_path / "broken.jsonl").write_text('{"id": 1}\n')
    out = tmp_path / "clusters.jsonl"
    result = CliRunner().invoke(
        app,
        [
            "cluster",
            str(source),
            str(tmp_path / "broken.jsonl"),
            "--out",
            str(out),
            "--workers",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "found 2 clusters" in result.output and "1 bad records skipped" in result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["original"] for r in rows] == ["g0-original", "g1-original"]
    assert all(r["size"] == 5 and r["members"][0]["id"] == r["original"] for r in rows)
    result = CliRunner().invoke(app, ["cluster", str(tmp_path / "none"), "--out", str(out)])
    assert result.exit_code == 2 and "nothing to cluster" in result.output


_OPENED: list[str] = []
_WATCHING: list[bool] = []


def _record_opens(event: str, args: tuple[object, ...]) -> None:
    if _WATCHING and event == "open" and isinstance(args[0], str | Path):
        _OPENED.append(os.fspath(args[0]))


sys.addaudithook(_record_opens)  # audit hooks cannot be removed; _WATCHING switches it on


def test_the_crawl_is_read_once_and_linked_from_the_stored_documents(
    tmp_path: Path, sample_documents: list[Document]
) -> None:
    crawl, _ = planted_crawl(sample_documents[:4], groups=2)
    source = write_jsonl(tmp_path / "crawl.jsonl", crawl)
    _OPENED.clear()
    _WATCHING.append(True)
    try:
        report = find_clusters([source], workers=1)
    finally:
        _WATCHING.clear()
    assert _OPENED.count(str(source)) == 1
    assert len(report.clusters) == 2 and report.documents == len(crawl)


def test_a_member_without_site_or_url_is_an_unknown_site(
    tmp_path: Path, sample_documents: list[Document]
) -> None:
    crawl, _ = planted_crawl(sample_documents[:1], groups=1)
    crawl[1] = Document(crawl[1].id, crawl[1].text, published=crawl[1].published)
    report = find_clusters([write_jsonl(tmp_path / "crawl.jsonl", crawl)], workers=1)
    [row] = [cluster_to_json(cluster) for cluster in report.clusters]
    sites = {member["id"]: member["site"] for member in row["members"]}
    assert sites[crawl[1].id] == UNKNOWN_SITE
    assert sites[crawl[0].id] == "wire.example"


def test_a_killed_cluster_run_resumes_where_it_stopped(
    tmp_path: Path, sample_documents: list[Document], monkeypatch: pytest.MonkeyPatch
) -> None:
    crawl, _ = planted_crawl(sample_documents[:48], groups=24)
    source = write_jsonl(tmp_path / "crawl.jsonl", crawl)
    work = tmp_path / "work"
    work.mkdir()
    uninterrupted = find_clusters([source], workers=1, work_dir=tmp_path)

    command = [sys.executable, "-m", "unspin.cli", "cluster", str(source), "--out"]
    command += [str(tmp_path / "clusters.jsonl"), "--workers", "1", "--work-dir", str(work)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    done_before_kill = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None and done_before_kill < 32:
        time.sleep(0.02)
        for ledger in work.glob("unspin-cluster-*/links.db"):
            with (
                contextlib.closing(sqlite3.connect(ledger)) as db,
                contextlib.suppress(sqlite3.OperationalError),  # tables not made yet
            ):
                done_before_kill = db.execute("SELECT COUNT(*) FROM checked").fetchone()[0]
    assert process.poll() is None, "the run finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    [folder] = work.iterdir()  # the killed run's work, left for the rerun
    with contextlib.closing(sqlite3.connect(folder / "links.db")) as db:
        done_at_kill = db.execute("SELECT COUNT(*) FROM checked").fetchone()[0]
    assert 32 <= done_at_kill < len(crawl)

    checked_again: list[str] = []

    def counted(index_path: str, documents: list[tuple[int, Document]]) -> list[Linked]:
        checked_again.extend(document.id for _, document in documents)
        return link_batch(index_path, documents)

    monkeypatch.setattr("unspin.scan.cluster.link_batch", counted)
    resumed = find_clusters([source], workers=1, work_dir=work)
    assert len(checked_again) == len(crawl) - done_at_kill  # none checked twice
    assert [cluster_to_json(c) for c in resumed.clusters] == [
        cluster_to_json(c) for c in uninterrupted.clusters
    ]
    assert not any(work.iterdir())  # a finished run removes its work

"""Provenance and retrieval evidence: every output says which unspin, which index and why.

A verdict may end up in a takedown notice, so the same input, index and
version must give the same JSON, byte for byte, in any process.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import uuid
from dataclasses import replace
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from unspin import Document, Index
from unspin.html import render_report
from unspin.index import SCHEMA_VERSION, ArchiveIndex
from unspin.model import CheckResult, Edit, Editions, Match, Provenance, Retrieval
from unspin.report import render_result
from unspin.schema import check_result_from_dict, check_result_to_dict
from unspin.synthetic import make_variant

from .conftest import SAMPLES

HANDMADE = SAMPLES / "suspects/handmade"
PASSPORT_ID = "coastal-wire/actor-russian-passport.txt"


@pytest.fixture(scope="module")
def small_archive(
    tmp_path_factory: pytest.TempPathFactory, sample_documents: list[Document]
) -> tuple[Path, list[Document]]:
    """A small real index: the passport story, both bridge-closure stories and a few more."""
    wanted = [d for d in sample_documents if "passport" in d.id or "bracken-bridge" in d.id]
    chosen = wanted + [d for d in sample_documents[:6] if d not in wanted]
    db = tmp_path_factory.mktemp("provenance") / "archive.db"
    with Index(db) as index:
        index.add(chosen, workers=1)
    return db, chosen


@pytest.fixture(scope="module")
def suspects(
    tmp_path_factory: pytest.TempPathFactory, small_archive: tuple[Path, list[Document]]
) -> Path:
    """A batch of every kind of result: spun, stitched, independent, unrelated."""
    _, documents = small_archive
    stitched = make_variant("stitched", [documents[0], documents[-1]], rate=0.2, seed=5)
    texts = {
        "spun": (HANDMADE / "actor-passport-spun.txt").read_text("utf-8"),
        "stitched": stitched.text,
        "independent": (HANDMADE / "independent-bracken-bridge-closure.txt").read_text("utf-8"),
        "unrelated": (HANDMADE / "review-kettle.txt").read_text("utf-8"),
    }
    path = tmp_path_factory.mktemp("suspects") / "suspects.jsonl"
    path.write_text(
        "".join(json.dumps({"id": k, "text": t}) + "\n" for k, t in texts.items()), "utf-8"
    )
    return path


def check_json(db: Path, suspects: Path, hash_seed: str) -> bytes:
    done = subprocess.run(
        [sys.executable, "-m", "unspin.cli", "check", str(suspects), "--db", str(db), "--json"],
        capture_output=True,
        timeout=300,
        env={**os.environ, "PYTHONHASHSEED": hash_seed},
        cwd=suspects.parent,
    )
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


@pytest.fixture(scope="module")
def two_runs(small_archive: tuple[Path, list[Document]], suspects: Path) -> tuple[bytes, bytes]:
    db, _ = small_archive
    return check_json(db, suspects, "1"), check_json(db, suspects, "2")


def test_same_input_index_and_version_give_the_same_bytes(two_runs: tuple[bytes, bytes]) -> None:
    first, second = two_runs
    assert first == second
    results = [json.loads(line) for line in first.decode("utf-8").splitlines()]
    verdicts = {r["query"]["id"]: r["verdict"] for r in results}
    assert verdicts["spun"] == "spun" and verdicts["independent"] == "independent"
    assert verdicts["unrelated"] == "unrelated"
    assert len(next(r for r in results if r["query"]["id"] == "stitched")["matches"]) >= 2


def test_every_result_says_which_unspin_and_which_index(
    two_runs: tuple[bytes, bytes], small_archive: tuple[Path, list[Document]]
) -> None:
    db, documents = small_archive
    results = [json.loads(line) for line in two_runs[0].decode("utf-8").splitlines()]
    provenances = [r["unspin"] for r in results]
    assert all(p == provenances[0] for p in provenances)  # unrelated results carry it too
    provenance = provenances[0]
    assert set(provenance) == {"version", "index", "settings"}
    assert provenance["version"] == version("unspin")
    index = provenance["index"]
    assert str(uuid.UUID(index["id"])) == index["id"]
    for _ in range(2):  # the identity is made once, with the file, and kept
        with ArchiveIndex(db, create=False) as archive:
            assert archive.id == index["id"]
    assert index["documents"] == len(documents)
    assert isinstance(index["schema"], int) and index["schema"] == SCHEMA_VERSION
    settings = provenance["settings"]
    assert settings["candidates"] == 6 and list(settings) == sorted(settings)


def test_every_match_says_why_it_was_retrieved(two_runs: tuple[bytes, bytes]) -> None:
    results = {
        r["query"]["id"]: r
        for r in (json.loads(line) for line in two_runs[0].decode("utf-8").splitlines())
    }
    best = results["spun"]["matches"][0]
    assert best["source_id"] == PASSPORT_ID
    assert best["retrieval"]["rank"] == 1
    assert best["retrieval"]["shared_fingerprints"] > 0 and best["retrieval"]["rarity"] > 0
    for result in results.values():
        ranks = [m["retrieval"]["rank"] for m in result["matches"]]
        assert len(set(ranks)) == len(ranks) and all(rank >= 1 for rank in ranks)
        for match in result["matches"]:
            assert match["retrieval"]["shared_fingerprints"] > 0
            assert "also_in" in match and isinstance(match["passages"], list)


def test_terminal_and_html_show_provenance_and_retrieval(
    small_archive: tuple[Path, list[Document]],
) -> None:
    db, documents = small_archive
    with Index(db, create=False) as index:
        result = index.check(Document("spun", (HANDMADE / "actor-passport-spun.txt").read_text()))
        index_id = index.id
    assert result.provenance is not None
    terminal = rendered(result)
    assert f"unspin {version('unspin')}" in terminal and index_id[:8] in terminal
    assert f"({len(documents):,} documents)" in terminal
    assert "retrieved at rank 1 by" in terminal
    html = render_report([result])
    assert index_id in html and f"unspin {version('unspin')}" in html
    assert "why retrieved" in html and "retrieved at rank 1 by" in html


def rendered(result: CheckResult) -> str:
    """The terminal report as plain words, lines and panel borders taken out."""
    console = Console(width=100, file=io.StringIO(), record=True)
    console.print(render_result(result))
    return " ".join(console.export_text().replace("│", " ").split())


@pytest.fixture
def retelling() -> CheckResult:
    """A hand-made result: a syndicated source, retold, sharing one quote."""
    source_text = 'The mayor said "we will rebuild the bridge by spring" on Monday.'
    copy_text = 'On Monday the mayor promised: "we will rebuild the bridge by spring".'
    source = Document("wire/bridge", source_text)
    quote = Edit(
        "quote",
        copy_text.index('"'),
        copy_text.rindex('"') + 1,
        source_text.index('"'),
        source_text.rindex('"') + 1,
        copy_text[copy_text.index('"') : copy_text.rindex('"') + 1],
        source_text[source_text.index('"') : source_text.rindex('"') + 1],
    )
    match = Match(
        source,
        "independent",
        0.3,
        0.0,
        0.0,
        0.0,
        [quote],
        retrieval=Retrieval(1, 9, 12.5),
        also_in=Editions(2, ("paper-a/bridge", "paper-b/bridge")),
    )
    provenance = Provenance("9.9.9", str(uuid.uuid4()), 3, SCHEMA_VERSION, {"candidates": 6})
    return CheckResult(Document("retold", copy_text), [match], provenance, language="en")


def test_quotes_and_syndicated_copies_are_shown(retelling: CheckResult) -> None:
    terminal = rendered(retelling)
    assert "shared quotes: “we will rebuild the bridge by spring”" in terminal
    assert "also in 2 other documents: paper-a/bridge, paper-b/bridge" in terminal
    assert "moved quote" in terminal  # in the legend
    html = render_report([retelling])
    assert 'class="e-quote"' in html and "mark.e-quote" in html
    assert "also in 2 other documents" in html and "rebuild the bridge" in html


def test_an_unsupported_language_is_said_clearly(retelling: CheckResult) -> None:
    foreign = replace(retelling, matches=[], language="fi", unsupported_language=True)
    for shown in (rendered(foreign), render_report([foreign])):
        assert "(fi) is not supported" in " ".join(shown.split())
        assert "No source found" in shown
    assert check_result_to_dict(foreign)["unsupported_language"] is True


def test_json_comes_back_as_the_same_result(retelling: CheckResult) -> None:
    data = json.loads(json.dumps(check_result_to_dict(retelling)))
    source = retelling.matches[0].source
    again = check_result_from_dict(data, retelling.query, {source.id: source})
    assert check_result_to_dict(again) == check_result_to_dict(retelling)
    assert check_result_from_dict(data, retelling.query, {}).matches == []  # source gone


def test_json_of_an_older_version_is_read_with_defaults(retelling: CheckResult) -> None:
    old: dict[str, Any] = check_result_to_dict(retelling)
    for key in ("schema", "unspin", "language", "unsupported_language"):
        del old[key]
    for match in old["matches"]:
        for key in ("retrieval", "also_in", "passages", "source_coverage"):
            del match[key]
    source = retelling.matches[0].source
    again = check_result_from_dict(old, retelling.query, {source.id: source})
    assert again.provenance is None and again.matches[0].retrieval is None
    assert [(e.type, e.copy_text, e.source_text) for e in again.matches[0].edits] == [
        (e.type, e.copy_text, e.source_text) for e in retelling.matches[0].edits
    ]
    assert "provenance unknown" in rendered(again)

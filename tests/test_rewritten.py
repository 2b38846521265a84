"""End to end on the hand-written fixtures (samples/rewrites): a rewritten copy is traced to
its source as ``rewritten``, with its sentences retold; a same-event retelling is not a copy."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from unspin import Document, Index
from unspin.model import COPY_VERDICTS
from unspin.schema import check_result_from_dict, check_result_to_dict
from unspin.synthetic import make_variant

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SOURCE_ID = "eastbrook-observer/creamery-pollution-fine.txt"


def fixture(kind: str) -> str:
    return (SAMPLES / "rewrites" / kind / SOURCE_ID).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus's eastbrook-observer articles, the fixtures' source among them."""
    path = tmp_path_factory.mktemp("rewrites") / "archive.db"
    corpus = SAMPLES / "corpus"
    documents = [
        Document(p.relative_to(corpus).as_posix(), p.read_text(encoding="utf-8"))
        for p in sorted((corpus / "eastbrook-observer").glob("*.txt"))
    ]
    with Index(path) as index:
        index.add(documents, workers=1)
    return path


@pytest.mark.parametrize("kind", ["light", "heavy", "summary"])
def test_a_rewritten_copy_is_traced_to_its_source_sentence_by_sentence(
    archive: Path, kind: str
) -> None:
    copy = fixture(kind)
    with Index(archive, create=False) as index:
        result = index.check(Document("copy", copy))
    best = result.matches[0]
    assert (result.verdict, best.source_id) == ("rewritten", SOURCE_ID)
    assert len(best.sentences) >= 3 and best.coverage >= 0.7
    source = best.source.text
    for retold in best.sentences:
        assert 0 <= retold.copy_start < retold.copy_end <= len(copy)
        assert 0 <= retold.source_start < retold.source_end <= len(source)
        assert 0.0 < retold.similarity <= 1.0
    assert [s.copy_start for s in best.sentences] == sorted(s.copy_start for s in best.sentences)
    assert [s.source_start for s in best.sentences] == sorted(
        s.source_start for s in best.sentences
    )
    for edit in best.edits:
        assert copy[edit.copy_start : edit.copy_end] == edit.copy_text
        assert source[edit.source_start : edit.source_end] == edit.source_text
    # The JSON carries the sentences and comes back whole.
    data = json.loads(json.dumps(check_result_to_dict(result)))
    assert data["matches"][0]["sentences"][0].keys() == {
        "copy_start",
        "copy_end",
        "source_start",
        "source_end",
        "similarity",
    }
    again = check_result_from_dict(data, result.query, {SOURCE_ID: best.source})
    assert check_result_to_dict(again) == data


@pytest.mark.parametrize("rate", [0.1, 0.3, 0.5])
def test_a_copy_spun_in_place_stays_spun_however_many_words_were_swapped(
    archive: Path, rate: float
) -> None:
    # A light rewrite keeps as many of the source's words; the spinner keeps its grammar too.
    source = (SAMPLES / "corpus" / SOURCE_ID).read_text(encoding="utf-8")
    spun = make_variant("spun", [Document(SOURCE_ID, source)], rate=rate, seed=13)
    with Index(archive, create=False) as index:
        result = index.check(Document("spun", spun.text))
    assert (result.verdict, result.matches[0].source_id) == ("spun", SOURCE_ID)


def test_a_same_event_retelling_is_not_a_copy(archive: Path) -> None:
    with Index(archive, create=False) as index:
        result = index.check(Document("retold", fixture("independent")))
    assert result.verdict not in COPY_VERDICTS
    assert all(m.verdict not in COPY_VERDICTS for m in result.matches)


def test_the_terminal_report_shows_the_copy_sentence_against_sentence(archive: Path) -> None:
    copy = SAMPLES / "rewrites" / "heavy" / SOURCE_ID
    shown = subprocess.run(
        [sys.executable, "-m", "unspin.cli", "check", str(copy), "--db", str(archive)],
        capture_output=True,
        text=True,
        check=True,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin", "PYTHONPATH": ":".join(sys.path)},
    ).stdout
    assert "REWRITTEN" in shown and "<-" in shown
    assert "not in the source" in shown or "missing from the source" in shown


def test_the_html_report_shows_retold_pairs_and_new_facts(archive: Path) -> None:
    from unspin.html import result_html

    with Index(archive, create=False) as index:
        result = index.check(Document("copy", fixture("heavy")))
    shown = result_html(result)
    assert 'class="verdict v-rewritten"' in shown
    assert shown.count("retold, similarity") >= 3
    assert "not in the source" in shown or "missing from the source" in shown

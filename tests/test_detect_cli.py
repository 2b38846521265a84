"""``unspin detect``, ``train`` and ``learn`` as real processes on real files."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

import pytest

from unspin.model import Document
from unspin.synthetic import make_variant

from .conftest import SAMPLES
from .test_cli import assert_clean_failure, unspin

SPUN_COPY = SAMPLES / "suspects/handmade/actor-passport-spun.txt"


def test_detect_batch_json_skips_bad_records(tmp_path: Path) -> None:
    batch = tmp_path / "batch.jsonl"
    text = SPUN_COPY.read_text("utf-8")
    batch.write_text(
        json.dumps({"id": "copy", "text": text, "site": "farm.example"})
        + "\n{broken\n"
        + json.dumps({"id": "short", "text": "The starring became a taxation exile in ire."})
        + "\n",
        "utf-8",
    )
    done = unspin("detect", batch, "--json")
    assert done.returncode == 0, done.stderr
    assert "batch.jsonl:2" in done.stderr
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["query"]["id"] for r in results] == ["copy", "short"]
    first = results[0]
    assert set(first) == {"schema", "query", "spin_score", "verdict", "words", "flags", "passages"}
    assert first["query"]["site"] == "farm.example"
    assert first["verdict"] in ("spun", "uncertain", "clean")
    assert 0.0 <= first["spin_score"] <= 1.0
    for flag in first["flags"]:
        assert text[flag["start"] : flag["end"]] == flag["text"]
        assert isinstance(flag["suggestions"], list)


def test_detect_terminal_report_and_stdin() -> None:
    done = unspin("detect", "-", stdin=b"The starring became a taxation exile in ire.")
    assert done.returncode == 0, done.stderr
    assert "judged 1 texts" in done.stdout and "taxation" in done.stdout


def test_detect_bad_input(tmp_path: Path) -> None:
    assert_clean_failure(unspin("detect", tmp_path / "nope.txt"), "nope.txt", "no such file")
    bad_model = tmp_path / "model.json.gz"
    bad_model.write_bytes(b"junk")
    assert_clean_failure(
        unspin("detect", SPUN_COPY, "--model", bad_model), "model.json.gz", "unspin train"
    )


@pytest.mark.slow
def test_train_then_learn_then_detect(tmp_path: Path, sample_documents: list[Document]) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    for document in sample_documents[:10]:
        (archive / document.id.replace("/", "-")).write_text(document.text, "utf-8")
    db = tmp_path / "archive.db"
    assert unspin("index", archive, "--db", db).returncode == 0
    done = unspin("train", "--db", db)
    assert done.returncode == 0, done.stderr
    model = tmp_path / "archive.detect-model.json.gz"
    assert model.exists() and "trained on 10 documents" in done.stdout

    suspects = tmp_path / "suspects.jsonl"
    with suspects.open("w", encoding="utf-8") as stream:
        for number, document in enumerate(sample_documents[:3]):
            copy = make_variant("spun", [document], rate=0.3, seed=number)
            record = {"id": f"copy-{number}", "text": copy.text, "site": "farm.example"}
            stream.write(json.dumps(record) + "\n")
    done = unspin("learn", suspects, "--db", db)
    assert done.returncode == 0, done.stderr
    assert "from 1 sites" in done.stdout and "from 3 of 3 suspects" in done.stdout

    originals = tmp_path / "originals.jsonl"
    originals.write_text(
        "".join(
            json.dumps({"id": f"original-{n}", "text": d.text, "site": "farm.example"}) + "\n"
            for n, d in enumerate(sample_documents[:3])
        ),
        "utf-8",
    )
    done = unspin("detect", suspects, originals, "--db", db, "--json")
    assert done.returncode == 0, done.stderr
    scores = {r["query"]["id"]: r["spin_score"] for r in map(json.loads, done.stdout.splitlines())}
    for n in range(3):
        assert scores[f"copy-{n}"] > scores[f"original-{n}"]
    assert_clean_failure(unspin("train", "--db", tmp_path / "missing.db"), "no such index")


def test_detect_writes_the_same_html_report_with_flags_and_suggestions(tmp_path: Path) -> None:
    report = tmp_path / "detect.html"
    done = unspin("detect", SPUN_COPY, "--json", "--html", report)
    assert done.returncode == 0, done.stderr
    flags = json.loads(done.stdout)["flags"]
    assert flags
    page = report.read_text("utf-8")
    assert "<script" not in page
    for flag in flags:
        assert f">{flag['text']}</mark>" in page
        if flag["suggestions"]:
            assert f"likely original: {flag['suggestions'][0]}" in page
    # Why each word was flagged, and where the spun passages are, as the JSON says.
    reasons = [reason for flag in flags for reason in flag["evidence"]]
    assert reasons and all(escape(reason, quote=True) in page for reason in reasons)
    passages = json.loads(done.stdout)["passages"]
    assert passages and all(f"characters {p['start']}-{p['end']}" in page for p in passages)

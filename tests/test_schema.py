"""The one result schema: every type comes back from its JSON, old versions are read,
newer ones refused, and floats are rounded only on the way out."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from unspin import Document, Index
from unspin.model import (
    CheckResult,
    Detection,
    Edit,
    Editions,
    Fact,
    Flag,
    Match,
    Passage,
    Provenance,
    RetoldSentences,
    Retrieval,
    SentencePair,
    SpunPassage,
)
from unspin.schema import (
    RESULT_SCHEMA,
    SchemaError,
    check_result_from_dict,
    check_result_to_dict,
    detection_from_dict,
    detection_to_dict,
    document_from_dict,
    document_to_dict,
    edit_from_dict,
    edit_to_dict,
    editions_from_dict,
    editions_to_dict,
    fact_from_dict,
    fact_to_dict,
    flag_from_dict,
    flag_to_dict,
    match_from_dict,
    match_to_dict,
    pair_from_dict,
    pair_to_dict,
    passage_from_dict,
    passage_to_dict,
    provenance_from_dict,
    provenance_to_dict,
    retold_from_dict,
    retold_to_dict,
    retrieval_from_dict,
    retrieval_to_dict,
    spun_passage_from_dict,
    spun_passage_to_dict,
    to_line,
)
from unspin.synthetic import make_variant
from unspin.web import WebSettings
from unspin.web.store import CheckStore

from .test_web_api import http_client, make_db

COPY = "The mayor opened the bridge on Monday. Crowds cheered."
SOURCE = Document(
    "wire/bridge",
    "The mayor unveiled the bridge on Monday. Crowds cheered loudly.",
    url="https://example.org/bridge",
    title="Bridge opens",
    site="example.org",
    published="2024-05-01",
)
SWAP = Edit("synonym", 10, 16, 10, 18, "opened", "unveiled", 1, 1)
PAIR = SentencePair(0, 38, 0, 40, 0.8571)
SECOND = SentencePair(39, len(COPY), 41, len(SOURCE.text), 1.0)


def through_json(data: dict[str, Any]) -> Any:
    return json.loads(json.dumps(data, ensure_ascii=False))


def hand_made_match() -> Match:
    return Match(
        SOURCE,
        "spun",
        0.8125,
        0.9,
        0.8333,
        0.1667,
        [Edit("verbatim", 0, 9, 0, 9, "The mayor", "The mayor", 2, 2), SWAP],
        [Passage(0, len(COPY) - 1, 0, len(SOURCE.text) - 1, 2, 9)],
        [PAIR, SECOND],
        Retrieval(1, 12, 33.3333),
        Editions(2, ("paper-a/bridge", "paper-b/bridge")),
    )


def hand_made_rewrite() -> Match:
    """A rewritten match: sentences paired by meaning, a changed fact, an added sentence."""
    return Match(
        SOURCE,
        "rewritten",
        0.71,
        0.8,
        0.9,
        0.25,
        [
            Edit("fact_changed", 31, 37, 33, 39, "Monday", "Monday", 1, 1),
            Edit("added", 39, len(COPY), 40, 40, "Crowds cheered.", "", 2, 0),
        ],
        sentences=[RetoldSentences(0, 38, 0, 40, 0.8312)],
        new_facts=[Fact(31, 37, "Monday")],
    )


def hand_made_result() -> CheckResult:
    provenance = Provenance("9.9.9", "0f0e0d0c-0000-4000-8000-000000000000", 3, 4, {"gram": 5})
    return CheckResult(Document("copy", COPY), [hand_made_match()], provenance, language="en")


ROUND_TRIPS: list[tuple[object, Callable[[Any], dict[str, Any]], Callable[[Any], object]]] = [
    (SWAP, edit_to_dict, lambda d: edit_from_dict(d, COPY, SOURCE.text)),
    (Passage(0, 53, 0, 62, 2, 9), passage_to_dict, passage_from_dict),
    (PAIR, pair_to_dict, pair_from_dict),
    (Retrieval(3, 40, 12.25), retrieval_to_dict, retrieval_from_dict),
    (Editions(1, ("x",)), editions_to_dict, editions_from_dict),
    (
        Provenance("1.0", "id", 7, 4, {"b": 1, "a": 0.5, "c": True, "d": "x"}),
        provenance_to_dict,
        provenance_from_dict,
    ),
    (SOURCE, document_to_dict, lambda d: document_from_dict(d, SOURCE.text)),
    (
        Flag(4, 12, "starring", 0.9, ("star", "actor"), ("LM: 'the star' 40x likelier",)),
        flag_to_dict,
        flag_from_dict,
    ),
    (SpunPassage(0, 18, 0.8), spun_passage_to_dict, spun_passage_from_dict),
    (hand_made_match(), match_to_dict, lambda d: match_from_dict(d, COPY, SOURCE)),
    (hand_made_rewrite(), match_to_dict, lambda d: match_from_dict(d, COPY, SOURCE)),
    (RetoldSentences(0, 38, 0, 40, 0.8312), retold_to_dict, retold_from_dict),
    (Fact(31, 37, "Monday"), fact_to_dict, lambda d: fact_from_dict(d, COPY)),
    (
        hand_made_result(),
        check_result_to_dict,
        lambda d: check_result_from_dict(d, Document("copy", COPY), {SOURCE.id: SOURCE}),
    ),
    (
        Detection("The starring left.", 0.75, "spun", (Flag(4, 12, "starring", 0.9, ()),), 2),
        detection_to_dict,
        lambda d: detection_from_dict(d, "The starring left."),
    ),
    (
        Detection(
            "The starring left. Clean text.",
            0.75,
            "spun",
            (Flag(4, 12, "starring", 0.9, ("star",), ("rare in news (zipf 2.1)",)),),
            3,
            passages=(SpunPassage(0, 18, 0.8),),
        ),
        detection_to_dict,
        lambda d: detection_from_dict(d, "The starring left. Clean text."),
    ),
    (
        Detection("Text.", 0.1, "clean", (), 1, id="a.txt", site="example.org"),
        detection_to_dict,
        lambda d: detection_from_dict(d, "Text."),
    ),
]


@pytest.mark.parametrize(
    ("value", "to_dict", "from_dict"),
    ROUND_TRIPS,
    ids=[type(value).__name__ for value, _, _ in ROUND_TRIPS],
)
def test_every_type_comes_back_from_its_json(
    value: object,
    to_dict: Callable[[Any], dict[str, Any]],
    from_dict: Callable[[Any], object],
) -> None:
    assert from_dict(through_json(to_dict(value))) == value


def test_a_real_check_comes_back_up_to_rounding(
    sample_documents: list[Document], sample_index: Index
) -> None:
    source = next(d for d in sample_documents if d.id == "coastal-wire/actor-russian-passport.txt")
    result = sample_index.check(Document("copy", make_variant("spun", [source], seed=5).text))
    data = through_json(check_result_to_dict(result))
    assert data["schema"] == RESULT_SCHEMA and data["matches"][0]["pairs"]
    sources = {m.source_id: m.source for m in result.matches}
    again = check_result_from_dict(data, result.query, sources)
    assert check_result_to_dict(again) == data
    for before, after in zip(result.matches, again.matches, strict=True):
        assert after.edits == before.edits and after.passages == before.passages
        assert after.score == pytest.approx(before.score, abs=5e-5)
        assert [p.derived for p in after.pairs] == pytest.approx(
            [p.derived for p in before.pairs], abs=5e-5
        )
    # Full floats in the model, four places in the JSON.
    floats = [x for m in result.matches for x in (m.score, m.coverage, m.spin_rate)]
    assert any(round(x, 4) != x for x in floats)
    assert all(round(m[k], 4) == m[k] for m in data["matches"] for k in ("score", "coverage"))
    assert to_line(again) == to_line(result)


def test_schema_1_objects_are_read_with_the_documented_defaults() -> None:
    old = through_json(check_result_to_dict(hand_made_result()))
    del old["schema"]
    for key in ("unspin", "language", "unsupported_language"):
        del old[key]
    old["query"] = {"id": "copy", "chars": len(COPY)}
    match = old["matches"][0]
    for key in ("retrieval", "also_in", "passages", "pairs", "source_coverage"):
        del match[key]
    for edit in match["edits"]:
        del edit["copy_words"], edit["source_words"]
    again = check_result_from_dict(old, Document("copy", COPY), {SOURCE.id: SOURCE})
    assert again.provenance is None and again.language is None
    assert not again.unsupported_language
    (read,) = again.matches
    assert (read.source_coverage, read.passages, read.pairs) == (0.0, [], [])
    assert read.retrieval is None and read.also_in is None
    assert read.edits == hand_made_match().edits  # word counts counted again in the texts


def test_both_old_detection_layouts_are_read() -> None:
    flags = [{"start": 4, "end": 12, "text": "starring", "score": 0.9, "suggestions": ["star"]}]
    cli = {"id": "a.txt", "site": "s", "chars": 18, "spin_score": 0.7, "verdict": "spun"}
    http = {"query": {"id": "a.txt", "chars": 18}, "verdict": "spun", "spin_score": 0.7}
    from_cli = detection_from_dict({**cli, "words": 2, "flags": flags}, "The starring left.")
    from_http = detection_from_dict({**http, "flags": flags}, "The starring left.")
    assert from_cli.flags == from_http.flags == (Flag(4, 12, "starring", 0.9, ("star",)),)
    assert (from_cli.id, from_cli.site, from_http.id, from_http.site) == (
        "a.txt",
        "s",
        "a.txt",
        None,
    )


@pytest.mark.parametrize("kind", ["check", "detection"])
def test_newer_and_malformed_objects_are_refused_clearly(kind: str) -> None:
    def read(data: dict[str, Any]) -> object:
        if kind == "check":
            return check_result_from_dict(data, Document("copy", COPY), {SOURCE.id: SOURCE})
        return detection_from_dict(data, "The starring left.")

    data = (
        check_result_to_dict(hand_made_result())
        if kind == "check"
        else detection_to_dict(Detection("The starring left.", 0.75, "spun", (), 2))
    )
    with pytest.raises(SchemaError, match=f"schema {RESULT_SCHEMA + 1}, newer .* upgrade unspin"):
        read({**data, "schema": RESULT_SCHEMA + 1})
    with pytest.raises(SchemaError, match="schema version is 'two'"):
        read({**data, "schema": "two"})
    broken = through_json(data)
    if kind == "check":
        del broken["matches"][0]["verdict"]
    else:
        del broken["flags"]
    with pytest.raises(SchemaError, match="missing key"):
        read(broken)


def test_one_line_per_result_whatever_its_float_noise() -> None:
    noisy = replace(hand_made_match(), score=0.1 + 0.2, spin_rate=1 / 3)
    result = replace(hand_made_result(), matches=[noisy])
    line = to_line(result)
    assert "\n" not in line and '"score": 0.3,' in line and '"spin_rate": 0.3333,' in line
    assert line == to_line(
        check_result_from_dict(json.loads(line), result.query, {SOURCE.id: SOURCE})
    )


# -- the web app's stored checks ------------------------------------------------------------


def _store_old_checks(db: Path, result: CheckResult) -> None:
    """Rows as older versions stored them: compact matches, and an unversioned result."""
    CheckStore(db).close()  # makes the tables
    compact = [
        {
            "source_id": m.source_id,
            "verdict": m.verdict,
            "score": m.score,
            "coverage": m.coverage,
            "spin_rate": m.spin_rate,  # no source_coverage: stored before it existed
            "edits": [
                [e.type, e.copy_start, e.copy_end, e.source_start, e.source_end, 1, 1]
                for e in m.edits
            ],
        }
        for m in result.matches
    ]
    unversioned = check_result_to_dict(result)
    del unversioned["schema"]
    for match in unversioned["matches"]:
        del match["source_coverage"], match["pairs"]
    newer = {**check_result_to_dict(result), "schema": RESULT_SCHEMA + 1}
    damaged = check_result_to_dict(result)
    damaged["matches"][0]["retrieval"] = {"rank": 1}
    query = result.query
    with sqlite3.connect(db) as connection:
        for matches, stored in [
            (json.dumps(compact), None),
            ("[]", json.dumps(unversioned)),
            ("[]", json.dumps(newer)),
            ("[]", json.dumps(damaged)),
        ]:
            connection.execute(
                "INSERT INTO web_checks (checked_at, suspect_id, verdict, text, matches, result)"
                " VALUES ('2024-01-01T00:00:00+00:00', ?, ?, ?, ?, ?)",
                (query.id, result.verdict, query.text, matches, stored),
            )


def test_checks_stored_by_older_versions_still_show(
    tmp_path: Path, sample_documents: list[Document]
) -> None:
    source = next(d for d in sample_documents if d.id == "coastal-wire/actor-russian-passport.txt")
    db = make_db(tmp_path / "old.db", sample_documents)
    with Index(db) as index:
        result = index.check(Document("old-copy", make_variant("spun", [source], seed=2).text))
    _store_old_checks(db, result)
    with http_client(WebSettings(db=db)) as http:
        for check_id in (1, 2):
            page = http.get(f"/checks/{check_id}")
            assert page.status_code == 200, page.text
            assert source.id in page.text and "<mark" in page.text
        # Not 501 "not installed": the page says what is wrong with the stored check.
        newer = http.get("/checks/3")
        assert newer.status_code == 500 and "upgrade unspin" in newer.text
        damaged = http.get("/checks/4")
        assert damaged.status_code == 500
        assert "missing key 'shared_fingerprints'" in unescape(damaged.text)

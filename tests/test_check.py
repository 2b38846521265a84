"""End to end: the passport story and the sample archive, with the real lexicon."""

from __future__ import annotations

import gc
import itertools

import pytest

from unspin import Index
from unspin.errors import UnspinError
from unspin.model import Match

from .conftest import SAMPLES

PASSPORT_SOURCE = "coastal-wire/actor-russian-passport.txt"


def edit_pairs(match: Match) -> dict[tuple[str, str], str]:
    return {(e.copy_text, e.source_text): e.type for e in match.edits}


def test_passport_copy_is_traced_with_every_swap_labelled(sample_index: Index) -> None:
    copy = (SAMPLES / "suspects/handmade/actor-passport-spun.txt").read_text(encoding="utf-8")
    result = sample_index.check(copy)
    assert result.verdict == "spun"
    best = result.matches[0]
    assert best.source_id == PASSPORT_SOURCE
    assert best.coverage > 0.8
    assert 0.15 < best.spin_rate < 0.6
    pairs = edit_pairs(best)
    assert pairs[("presented", "showed")] == "synonym"
    assert pairs[("star", "actor")] == "synonym"
    assert pairs[("concurred", "agreed")] == "synonym"
    assert pairs[("perfectly", "absolutely")] == "synonym"
    assert pairs[("starring", "star")] == "inflection"
    assert pairs[("taxation", "tax")] == "inflection"
    assert pairs[("ire", "anger")] == "synonym"
    # Letters lost in encoding do not count as a change.
    assert any(
        e.type == "verbatim" and "Grard" in e.copy_text and "Gérard" in e.source_text
        for e in best.edits
    )
    # Boilerplate around the copy is an insertion.
    assert best.edits[0].type == "insertion" and best.edits[0].copy_text.startswith(
        "Share this story"
    )


def test_edit_offsets_point_into_both_texts(sample_index: Index) -> None:
    copy = (SAMPLES / "suspects/handmade/actor-passport-spun.txt").read_text(encoding="utf-8")
    source = sample_index.get(PASSPORT_SOURCE)
    assert source is not None
    for edit in sample_index.check(copy).matches[0].edits:
        assert copy[edit.copy_start : edit.copy_end] == edit.copy_text
        assert source.text[edit.source_start : edit.source_end] == edit.source_text
    edits = sample_index.check(copy).matches[0].edits
    covered = sorted((e.copy_start, e.copy_end) for e in edits if e.copy_end > e.copy_start)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(covered)), "copy spans overlap"


def test_verbatim_copy_of_an_archive_article(sample_index: Index) -> None:
    source = sample_index.get("northgate-herald/library-budget-vote.txt")
    assert source is not None
    result = sample_index.check(source.text)
    assert result.verdict == "verbatim"
    assert result.matches[0].source_id == source.id
    assert result.matches[0].coverage == 1.0 and result.matches[0].spin_rate == 0.0


def test_independent_retelling_is_not_called_a_copy(sample_index: Index) -> None:
    text = (SAMPLES / "suspects/handmade/independent-bracken-bridge-closure.txt").read_text("utf-8")
    result = sample_index.check(text)
    assert result.verdict == "independent"
    assert {m.source_id.split("/")[1] for m in result.matches} == {"bracken-bridge-closure.txt"}


def test_same_event_archive_articles_are_independent_of_each_other(sample_index: Index) -> None:
    text = sample_index.get("valley-tribune/carrow-valley-flood.txt")
    assert text is not None
    result = sample_index.check(text.text)
    verdicts = {m.source_id: m.verdict for m in result.matches}
    assert verdicts[text.id] == "verbatim"
    assert verdicts.get("ridgeline-courier/carrow-valley-flood.txt") == "independent"
    assert verdicts.get("meridian-daily/carrow-valley-flood.txt") == "independent"


def test_unrelated_texts_have_no_source(sample_index: Index) -> None:
    for name in ("lemon-polenta-cake.txt", "review-kettle.txt", "forum-bike-gears.txt"):
        text = (SAMPLES / "suspects/handmade" / name).read_text(encoding="utf-8")
        assert sample_index.check(text).verdict == "unrelated", name


def test_a_check_leaves_the_cycle_collector_as_it_found_it(sample_index: Index) -> None:
    # Checks pause it (their short-lived objects need none of it) and must hand it back.
    text = (SAMPLES / "suspects/handmade/actor-passport-spun.txt").read_text(encoding="utf-8")
    assert gc.isenabled()
    assert sample_index.check(text).verdict == "spun"
    assert gc.isenabled()
    gc.disable()
    try:
        sample_index.check(text)
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(UnspinError):
        sample_index.check(text, candidates=0)
    assert gc.isenabled()

"""The alignment's sentence pairs, kept in the match, and the terminal report that shows them."""

from __future__ import annotations

import itertools

import pytest

from unspin import Document, Index
from unspin.model import Match
from unspin.report import render_copy
from unspin.synthetic import make_variant

PASSPORT = "coastal-wire/actor-russian-passport.txt"


@pytest.fixture(scope="module")
def passport(sample_documents: list[Document]) -> Document:
    return next(d for d in sample_documents if d.id == PASSPORT)


def best_match(index: Index, text: str) -> Match:
    result = index.check(Document("copy", text))
    assert result.matches and result.matches[0].source_id == PASSPORT
    return result.matches[0]


def test_a_shuffled_verbatim_copy_pairs_each_sentence_with_itself(
    passport: Document, sample_index: Index
) -> None:
    copy = make_variant("reordered", [passport], rate=0.0, seed=4, style="shuffled").text
    match = best_match(sample_index, copy)
    assert len(match.pairs) >= 10
    same = 0
    for pair in match.pairs:
        copied = copy[pair.copy_start : pair.copy_end]
        taken = passport.text[pair.source_start : pair.source_end]
        # The generator cuts sentences its own way ("Jan. | 6"): a piece of one is a sentence.
        assert copied in taken and copied == copied.strip() and pair.derived == 1.0
        same += copied == taken
    assert same >= 0.8 * len(match.pairs)


def test_pairs_follow_the_copy_and_hold_their_word_edits(
    passport: Document, sample_index: Index
) -> None:
    copy = make_variant("reordered", [passport], rate=0.3, seed=4, style="shuffled").text
    match = best_match(sample_index, copy)
    for pair, following in itertools.pairwise(match.pairs):
        assert pair.copy_end <= following.copy_start
    held = 0
    for pair in match.pairs:
        assert 0.6 <= pair.derived <= 1.0
        for edit in match.edits:
            inside = pair.copy_start <= edit.copy_start and edit.copy_end <= pair.copy_end
            if inside and edit.type not in ("insertion", "deletion"):
                assert pair.source_start <= edit.source_start <= edit.source_end <= pair.source_end
                held += 1
    assert held >= len(match.pairs)


def test_the_terminal_shows_each_source_only_the_sentences_taken_from_it(
    sample_documents: list[Document], sample_index: Index
) -> None:
    first, second = sample_documents[0], sample_documents[7]
    copy = make_variant("stitched", [first, second], rate=0.2, seed=1).text
    result = sample_index.check(Document("stitched", copy))
    by_source = {m.source_id: m for m in result.matches}
    against_first = render_copy(copy, by_source[first.id]).plain
    assert "…" in against_first and "[" in against_first  # a swap, its original in brackets
    taken_from_first = {(p.copy_start, p.copy_end) for p in by_source[first.id].pairs}
    others = [
        p for p in by_source[second.id].pairs if (p.copy_start, p.copy_end) not in taken_from_first
    ]
    assert others
    for pair in others:
        assert copy[pair.copy_start : pair.copy_end] not in against_first


def test_a_match_without_pairs_shows_the_whole_copy(
    passport: Document, sample_index: Index
) -> None:
    copy = make_variant("spun", [passport], rate=0.3, seed=8).text
    match = best_match(sample_index, copy)
    match.pairs = []  # as read from JSON of schema 1
    shown = render_copy(copy, match).plain
    assert "…" not in shown and len(shown) >= len(copy)

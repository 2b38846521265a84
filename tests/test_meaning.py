"""Alignment by meaning (issue 13): the monotone dynamic program, order agreement, and the
sentence embedder it runs on."""

from __future__ import annotations

import itertools

import numpy as np
import numpy.typing as npt

from unspin.embed import get_embedder
from unspin.meaning import MeaningPair, kendall_tau, monotone_pairs


def unit(*rows: list[float]) -> npt.NDArray[np.float32]:
    vectors = np.array(rows, dtype=np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


AXES = np.eye(6, dtype=np.float32)


def spans(pairs: list[MeaningPair]) -> list[tuple[int, int, int, int]]:
    return [(p.copy_first, p.copy_end, p.source_first, p.source_end) for p in pairs]


def test_one_to_one_in_order() -> None:
    pairs = monotone_pairs(AXES[:4], AXES[:4], floor=0.5, merge_cost=0.02)
    assert spans(pairs) == [(0, 1, 0, 1), (1, 2, 1, 2), (2, 3, 2, 3), (3, 4, 3, 4)]
    assert all(p.similarity == 1.0 for p in pairs)


def test_a_copy_sentence_that_merges_two_source_sentences_pairs_with_both() -> None:
    # Copy sentence 1 says what source sentences 1 and 2 say together.
    copy = unit([1, 0, 0, 0, 0, 0], [0, 1, 1, 0, 0, 0], [0, 0, 0, 1, 0, 0])
    pairs = monotone_pairs(copy, AXES[:4], floor=0.5, merge_cost=0.02)
    assert spans(pairs) == [(0, 1, 0, 1), (1, 2, 1, 3), (2, 3, 3, 4)]
    assert abs(pairs[1].similarity - 1.0) < 1e-6


def test_two_copy_sentences_that_split_one_source_sentence_pair_with_it() -> None:
    source = unit([1, 0, 0, 0, 0, 0], [0, 1, 1, 0, 0, 0], [0, 0, 0, 1, 0, 0])
    pairs = monotone_pairs(AXES[:4], source, floor=0.5, merge_cost=0.02)
    assert spans(pairs) == [(0, 1, 0, 1), (1, 3, 1, 2), (3, 4, 2, 3)]


def test_sentences_with_no_counterpart_are_skipped_on_either_side() -> None:
    # The copy adds a sentence (axis 5) and leaves out source sentence 2.
    copy = AXES[[0, 5, 1, 3]]
    pairs = monotone_pairs(copy, AXES[:4], floor=0.5, merge_cost=0.02)
    assert spans(pairs) == [(0, 1, 0, 1), (2, 3, 1, 2), (3, 4, 3, 4)]


def test_the_alignment_never_goes_back_in_either_text() -> None:
    rng = np.random.default_rng(7)
    for _ in range(30):
        copy = unit(*rng.normal(size=(9, 6)).tolist())
        source = unit(*rng.normal(size=(11, 6)).tolist())
        pairs = monotone_pairs(copy, source, floor=0.2, merge_cost=0.02)
        for before, after in itertools.pairwise(pairs):
            assert before.copy_end <= after.copy_first
            assert before.source_end <= after.source_first
        assert all(p.similarity > 0.2 for p in pairs)


def test_pairs_below_the_floor_are_never_taken() -> None:
    assert monotone_pairs(AXES[:3], AXES[3:6], floor=0.5, merge_cost=0.02) == []
    assert monotone_pairs(AXES[:0], AXES[:3], floor=0.5, merge_cost=0.02) == []


def test_kendall_tau_measures_order_agreement() -> None:
    assert kendall_tau([0, 1, 2, 5]) == 1.0
    assert kendall_tau([5, 2, 1, 0]) == -1.0
    assert kendall_tau([0, 2, 1, 3]) == 4 / 6
    assert kendall_tau([3]) == 0.0


def test_the_packaged_embedder_puts_paraphrases_closer_than_other_topics() -> None:
    embedder = get_embedder()
    vectors = embedder.embed(
        [
            "The council approved the new budget on Tuesday evening.",
            "On Tuesday night councillors voted the budget through.",
            "A storm flooded the harbour and damaged fishing boats.",
            "",
        ]
    )
    assert vectors.shape == (4, embedder.dimensions)
    assert np.allclose(np.linalg.norm(vectors[:3], axis=1), 1.0, atol=1e-5)
    assert not vectors[3].any()
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.3
    assert embedder.pieces("harbourmaster") == embedder.pieces("harbourmaster")
    assert len(embedder.pieces("harbourmaster")) >= 2  # no such word: word pieces

"""Spin detection without a source: the API, the model file, training and the dictionary."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from unspin import Index, UnspinError
from unspin.detect import Detector, SpinnerDictionary, detect, load_model, train_model
from unspin.detect.dictionary import SEEN
from unspin.detect.features import _article_mismatch
from unspin.detect.train import IGNORED, label_slots
from unspin.detect.trees import BoostedTrees, fit_trees
from unspin.model import Document, Flag
from unspin.normalize import tokenize
from unspin.synthetic import Swap, make_variant
from unspin.synthetic.spinner import Spinner

SPUN = (
    "The Russian president presented the Hollywood star where to sign. Both sides "
    "concurred it must be an perfectly depoliticised act. The starring became a "
    "taxation exile in ire over rate hikes, officials said on Tuesday."
)
SWAPPED = {"presented": "showed", "concurred": "agreed", "taxation": "tax", "ire": "anger"}
CLEAN = (
    "Both sides agreed that the vote must be a wholly separate act. The star became "
    "a tax exile in anger over rate rises, officials said on Tuesday."
)


@pytest.fixture(scope="module")
def small_model(sample_documents: list[Document]) -> Detector:
    """A model trained on a few sample articles (fast), wrapped in a detector."""
    return Detector(train_model(sample_documents[:8], rates=(0.2,), seed=3))


def test_default_model_flags_the_swaps_and_suggests_originals() -> None:
    found = detect(SPUN)
    assert found.verdict == "spun" and found.spin_score > 0.5
    flagged = {flag.text: flag for flag in found.flags}
    for written, original in SWAPPED.items():
        if written in flagged:
            assert original in flagged[written].suggestions
    assert len(set(flagged) & set(SWAPPED)) >= 3
    for flag in found.flags:
        assert SPUN[flag.start : flag.end] == flag.text
        assert 0.0 <= flag.score <= 1.0


def test_clean_text_scores_lower_than_its_spun_copy() -> None:
    clean, spun = detect(CLEAN), detect(SPUN)
    assert clean.spin_score < spun.spin_score
    assert clean.verdict != "spun"


def test_a_swapped_in_thesaurus_phrase_is_one_flag_with_one_word_suggestions(
    sample_documents: list[Document],
) -> None:
    detector = Detector()
    phrase_flags, restored = [], 0
    for seed, document in enumerate(sample_documents[:6]):
        variant = Spinner().spin(document.text, 0.3, phrase_rate=0.6, seed=seed)
        phrase_swaps = {
            (s.start, s.end): s.original.lower() for s in variant.swaps if s.kind == "phrase"
        }
        for flag in detector.detect(variant.text).flags:
            if " " not in flag.text:
                continue
            phrase_flags.append(flag)
            words = flag.text.lower().split()
            assert variant.text[flag.start : flag.end] == flag.text
            # "crime syndicate" -> ("mob", "syndicate", ...): the phrase's own synonyms
            assert {s.lower() for s in flag.suggestions} <= set(
                detector.extractor.phrase_synonyms(*words)
            )
            original = phrase_swaps.get((flag.start, flag.end))
            restored += original is not None and original in [s.lower() for s in flag.suggestions]
    assert len(phrase_flags) >= 5
    assert restored >= 0.7 * len(phrase_flags)


def test_flagged_words_join_into_phrases_of_up_to_three_words() -> None:
    detector = Detector()
    text = "They will chew the fat with the crime syndicate today, the police said."
    tokens = tokenize(text)
    slots = detector.extractor.slots(text, tokens)
    suspects = ("chew", "fat", "crime", "syndicate", "today", "police")
    flags = [
        Flag(s.start, s.end, text[s.start : s.end], 0.9, ()) for s in slots if s.word in suspects
    ]
    joined = detector._join_phrases(text, tokens, slots, flags)
    assert [f.text for f in joined] == ["chew the fat", "crime syndicate", "today", "police"]
    assert all(text[f.start : f.end] == f.text for f in joined)
    assert "chat" in joined[0].suggestions and "mob" in joined[1].suggestions
    assert joined[2].suggestions == ()  # "syndicate today" is no phrase, and a comma parts them


def test_text_without_words_is_uncertain() -> None:
    found = detect("12 34 -- 56.")
    assert found.words == 0 and found.flags == () and found.verdict == "uncertain"


def test_article_mismatch() -> None:
    assert _article_mismatch("an", "perfectly") and _article_mismatch("a", "idea")
    assert not _article_mismatch("an", "hour") and not _article_mismatch("a", "unit")
    assert not _article_mismatch("the", "idea")


def test_labels_follow_the_swaps(small_model: Detector) -> None:
    text = "Officials presented a plan. Rain reportedly fell."
    slots = small_model.extractor.slots(text)
    swaps = [
        Swap(10, 19, "presented", "showed", "synonym"),
        Swap(33, 44, "reportedly ", "", "insertion"),
    ]
    labels, originals = label_slots(slots, swaps)
    by_word = {
        slot.word: (label, original)
        for slot, label, original in zip(slots, labels, originals, strict=True)
    }
    assert by_word["presented"] == (1.0, "showed")
    assert by_word["reportedly"][0] == IGNORED
    assert by_word["plan"] == (0.0, None)


def test_trained_model_round_trips_and_scores_spun_higher(
    small_model: Detector, sample_documents: list[Document], tmp_path: Path
) -> None:
    path = tmp_path / "model.json.gz"
    small_model.model.save(path)
    loaded = Detector(path)
    source = sample_documents[20]
    spun = make_variant("spun", [source], rate=0.3, seed=11)
    a = loaded.detect(spun.text)
    assert a == small_model.detect(spun.text)
    assert a.spin_score > loaded.detect(source.text).spin_score


def test_training_needs_documents(sample_documents: list[Document]) -> None:
    with pytest.raises(UnspinError, match="at least"):
        train_model(sample_documents[:2])


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (None, "no such file"),
        (b"not gzip at all", "corrupt"),
        (gzip.compress(b'{"format": "something else"}'), "unusable"),
        (gzip.compress(b"[1, 2"), "corrupt"),
    ],
)
def test_bad_model_file_says_how_to_rebuild(
    tmp_path: Path, content: bytes | None, needle: str
) -> None:
    path = tmp_path / "model.json.gz"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(UnspinError, match=needle) as caught:
        load_model(path)
    assert "unspin train" in str(caught.value)


def test_truncated_model_fields(small_model: Detector, tmp_path: Path) -> None:
    path = tmp_path / "model.json.gz"
    small_model.model.save(path)
    data = json.loads(gzip.decompress(path.read_bytes()))
    data["word"]["leaves"] = data["word"]["leaves"][:1]
    path.write_bytes(gzip.compress(json.dumps(data).encode()))
    with pytest.raises(UnspinError, match="unspin train"):
        load_model(path)


def test_trees_learn_an_interaction() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4000, 3))
    y = ((x[:, 0] > 0) ^ (x[:, 1] > 0)).astype(float)
    trees = fit_trees(x, y, trees=30, depth=2)
    accuracy = ((trees.logit(x) > 0) == (y > 0.5)).mean()
    assert accuracy > 0.9
    again = BoostedTrees.from_json(json.loads(json.dumps(trees.to_json())), 3)
    assert np.allclose(again.logit(x), trees.logit(x))


def test_learned_dictionary_raises_the_score_of_known_swaps(
    sample_documents: list[Document], small_model: Detector, tmp_path: Path
) -> None:
    db = tmp_path / "archive.db"
    sources = sample_documents[30:34]
    copies = [make_variant("spun", [s], rate=0.3, seed=n) for n, s in enumerate(sources)]
    with Index(db) as index:
        index.add(sources, workers=1)
        dictionary = SpinnerDictionary()
        for copy in copies:
            assert dictionary.add_result(index.check(copy.text), "farm.example") > 0
    dictionary.save_counts(db, dictionary.rows())
    stored = SpinnerDictionary.load(db)
    assert stored.rows() == dictionary.rows() and stored.sites() == ["farm.example"]
    known = {
        word: Counter({w: n for w, n in sources.items() if w != SEEN})
        for word, sources in stored.counts["farm.example"].items()
        if set(sources) - {SEEN}
    }

    def known_flags(detector: Detector) -> dict[str, tuple[str, ...]]:
        found = detector.detect(copies[0].text, site="farm.example")
        return {f.text.lower(): f.suggestions for f in found.flags if f.text.lower() in known}

    plain = known_flags(small_model)
    helped = known_flags(Detector(small_model.model, dictionary=stored))
    assert len(helped) > len(plain)
    top = [s[0].lower() == known[w].most_common(1)[0][0] for w, s in helped.items() if s]
    assert sum(top) >= 0.8 * len(top)

"""Normalization sees through disguise but keeps offsets into the original text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unspin.normalize import fold, lossy_key, name_skeleton, sentence_spans, sentences, tokenize


def test_homoglyphs_fold_to_latin() -> None:
    # Cyrillic а, о, е, р, с and Greek ο inside otherwise Latin words
    assert fold("Pоlicе") == "police"
    assert fold("саr") == "car"
    assert fold("ρhοtο") == "photo"
    assert fold("Іvan") == "ivan"
    # Upper-case look-alikes: Cyrillic В, Н, К, М, Т and Greek Ν, Υ
    assert fold("ВНКМТ") == "bhkmt"
    assert fold("ΝΥ") == "ny"


def test_accents_quotes_and_invisible_characters() -> None:
    assert fold("Gérard") == fold("Gerard") == "gerard"
    assert fold("Łukasz") == "lukasz"
    assert fold("don’t") == "don't"
    assert fold("de\u200bpoliticised") == "depoliticised"
    assert fold("ﬁnance") == "finance"


def test_lost_letters() -> None:
    assert lossy_key("Gérard") == "grard"
    assert name_skeleton("Gérard") == name_skeleton("Grard") == name_skeleton("Gerard")


def test_tokens_point_into_the_original_text() -> None:
    text = "SOCHI — Putin showed the Hollywood actor where to sign. G?rard’s “tax” bill: $1,200."
    tokens = tokenize(text)
    words = [text[t.start : t.end] for t in tokens]
    assert words == [
        "SOCHI",
        "Putin",
        "showed",
        "the",
        "Hollywood",
        "actor",
        "where",
        "to",
        "sign",
        "G?rard’s",
        "tax",
        "bill",
        "1,200",
    ]
    assert tokens[9].key == "grard's"
    kinds = {text[t.start : t.end]: t.kind for t in tokens}
    assert kinds["Hollywood"] == "name" and kinds["the"] == "function"
    assert kinds["actor"] == "word" and kinds["1,200"] == "number"


def test_mojibake_punctuation_does_not_glue_onto_words() -> None:
    text = "Putinâ€™s plan"
    assert [text[t.start : t.end] for t in tokenize(text)] == ["Putin", "s", "plan"]


def test_sentence_start_words_are_not_names_unless_seen_mid_sentence() -> None:
    text = "Officials said Jensen would resign. Jensen denied it."
    kinds = [(text[t.start : t.end], t.kind) for t in tokenize(text)]
    assert ("Officials", "word") in kinds
    assert kinds.count(("Jensen", "name")) == 2


def test_sentences_respect_abbreviations_and_decimals() -> None:
    text = "Mr. Smith paid 3.5 million to the U.S. Treasury. Then he left!\n\nNew paragraph here"
    tokens = tokenize(text)
    found = [" ".join(t.key for t in tokens[s.first : s.end]) for s in sentences(text, tokens)]
    assert found == [
        "mr smith paid 3.5 million to the u s treasury",
        "then he left",
        "new paragraph here",
    ]


@given(st.text())
def test_tokenize_never_fails_and_spans_are_in_bounds(text: str) -> None:
    tokens = tokenize(text)
    for token in tokens:
        assert 0 <= token.start < token.end <= len(text)
        assert token.key
    for sentence in sentences(text, tokens):
        assert sentence.first < sentence.end <= len(tokens)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mr. Smith went to the U.S. on Monday. He paid $3.5 million!",
            ["Mr. Smith went to the U.S. on Monday.", "He paid $3.5 million!"],
        ),
        (
            '"Are you sure?" she asked. "Yes." Then J. K. Rowling left...\nNew line',
            ['"Are you sure?" she asked.', '"Yes."', "Then J. K. Rowling left...", "New line"],
        ),
        ("  Headline\n\nBody text here.  ", ["Headline", "Body text here."]),
    ],
)
def test_sentence_spans(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in sentence_spans(text)] == expected

"""Normalization sees through disguise but keeps offsets into the original text."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from unspin.model import Token
from unspin.normalize import (
    _INVISIBLE,
    _MARKS,
    _TOKEN_RE,
    _UNSPACED,
    Sentence,
    _starts_sentence,
    fold,
    lossy_key,
    name_skeleton,
    sentence_spans,
    sentences,
    tokenize,
    tokenize_sentences,
)


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


# The token regex written plainly, as before it was made faster: the words it
# finds must not change (they decide every fingerprint in an index).
_REFERENCE_WORD_CHAR = rf"(?!â€)(?![{_UNSPACED}])[^\W_][{_MARKS}]*|[{_INVISIBLE}]"
_REFERENCE_TOKEN_RE = re.compile(
    r"(?P<junk>â€.)"
    r"|(?P<number>\d+(?:[.,:]\d+)*(?:%)?)"
    rf"|(?P<word>(?:{_REFERENCE_WORD_CHAR})+(?:['’ʼ?\ufffd](?:{_REFERENCE_WORD_CHAR})+)*)"
    rf"|(?P<char>(?![\W_])[{_UNSPACED}][{_MARKS}]*)"
)
_TRICKY = st.sampled_from(
    [*"â€™'’ʼ?\ufffd_-.,:% \n", "â€", *_INVISIBLE, *"aZé9٣Жß", *"\u0301\u093f\u064e中の\u0e31ก"]
)


@given(st.lists(st.one_of(_TRICKY, st.characters()), max_size=40).map("".join))
def test_token_regex_finds_what_the_reference_pattern_finds(text: str) -> None:
    def found(pattern: re.Pattern[str]) -> list[tuple[int, int]]:
        return [m.span() for m in pattern.finditer(text)]

    assert found(_TOKEN_RE) == found(_REFERENCE_TOKEN_RE)


def _sentences_plainly(text: str, tokens: list[Token]) -> list[Sentence]:
    """Every gap judged, as before sentence starts were found while tokenizing."""
    cuts = [0]
    for index in range(1, len(tokens)):
        gap = text[tokens[index - 1].end : tokens[index].start]
        previous_first = cuts[-1] == index - 1
        if _starts_sentence(gap, tokens[index - 1].key, text[tokens[index].start], previous_first):
            cuts.append(index)
    cuts.append(len(tokens))
    return [Sentence(a, b) for a, b in itertools.pairwise(cuts) if b > a]


_SENTENCE_PIECES = st.sampled_from(
    ["Mr. ", "Ann ", "said. ", "The ", "12. ", "3) ", "U.S. ", "■ ", "\n\n", "\n- ", "â€™", "\xad"]
)


@given(st.lists(st.one_of(_SENTENCE_PIECES, _TRICKY, st.characters()), max_size=40).map("".join))
@example("\ud800")  # half a surrogate pair: a str may hold one (found by Hypothesis)
def test_sentences_found_while_tokenizing_are_those_of_every_gap(text: str) -> None:
    tokens, found = tokenize_sentences(text)
    assert tokens == tokenize(text)
    assert found == sentences(text, tokens) == _sentences_plainly(text, tokens)


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
        (
            "He was jailed on October 3. His lawyer, J. Ode, will appeal by page 4. No. 5 is next.",
            [
                "He was jailed on October 3.",
                "His lawyer, J. Ode, will appeal by page 4.",
                "No. 5 is next.",
            ],
        ),
    ],
)
def test_sentence_spans(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in sentence_spans(text)] == expected

"""Copies in other languages and scripts are traced; English is tokenized as before."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unspin import Index
from unspin.fingerprint import immutable_items
from unspin.io import BadRecord, read_documents
from unspin.language import Language, identify, vocabulary
from unspin.model import Document
from unspin.normalize import _ENGLISH_TOKEN_RE, _MARKS, _TOKEN_RE, _UNSPACED, tokenize
from unspin.synthetic import boilerplate

from .conftest import SAMPLES

LANGUAGES = ("fr", "es", "de", "ru", "ar", "zh")
ARTICLES = sorted(
    path.relative_to(SAMPLES / "languages").as_posix()
    for language in LANGUAGES
    for path in (SAMPLES / "languages" / language).glob("*.txt")
)
ENGLISH = ("capital-dispatch", "coastal-wire", "meridian-daily")
# Sentence ends, including the Chinese full stop (no space after it).
_SENTENCE_END = re.compile(r"(?<=[.!?。])\s*")


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Index:
    folders = [SAMPLES / "languages", *(SAMPLES / "archive" / site for site in ENGLISH)]
    documents = [d for d in read_documents(folders) if not isinstance(d, BadRecord)]
    assert len(documents) > len(ARTICLES) >= 36
    index = Index(tmp_path_factory.mktemp("languages") / "a.db")
    index.add(documents, workers=1)
    return index


def article(name: str) -> str:
    return (SAMPLES / "languages" / name).read_text(encoding="utf-8")


def best(index: Index, text: str) -> tuple[str, str]:
    result = index.check(text)
    assert result.matches, "nothing found"
    return result.matches[0].source_id, result.matches[0].verdict


def test_samples_are_in_their_language() -> None:
    assert {name.split("/")[0] for name in ARTICLES} == set(LANGUAGES)
    for name in ARTICLES:
        assert identify(article(name)) == Language(name.split("/")[0], True), name


@pytest.mark.parametrize("name", ARTICLES)
def test_verbatim_and_wrapped_copies_are_found(index: Index, name: str) -> None:
    text = article(name)
    assert best(index, text) == (name, "verbatim")
    rng = random.Random(name)
    wrapped = f"{boilerplate.header(rng)}\n\n{text}\n\n{boilerplate.footer(rng)}"
    assert best(index, wrapped) == (name, "verbatim")


@pytest.mark.parametrize("name", ARTICLES)
def test_copy_without_a_sentence_is_found(index: Index, name: str) -> None:
    text = article(name)
    paragraph = text.split("\n\n")[2]
    sentence = [s for s in _SENTENCE_END.split(paragraph) if s][1]
    source, verdict = best(index, text.replace(sentence, "", 1))
    assert source == name and verdict in ("verbatim", "partial")


@pytest.mark.parametrize("name", ARTICLES)
def test_half_the_paragraphs_is_a_partial_copy(index: Index, name: str) -> None:
    paragraphs = article(name).split("\n\n")
    half = "\n\n".join(paragraphs[: 1 + (len(paragraphs) - 1) // 2])
    assert best(index, half) == (name, "partial")


def test_articles_not_in_the_index_are_unrelated(tmp_path: Path) -> None:
    held_out = {name.split("/")[0]: name for name in ARTICLES}.values()
    index = Index(tmp_path / "a.db")
    index.add([Document(n, article(n)) for n in ARTICLES if n not in held_out], workers=1)
    for name in held_out:
        assert index.check(article(name)).verdict == "unrelated", name


def test_unsupported_script_is_reported() -> None:
    georgian = (
        "თბილისში სამშაბათს ახალი ხიდი გაიხსნა. ხიდის სიგრძე ერთი კილომეტრია და მისი "
        "მშენებლობა სამ წელს გაგრძელდა. ქალაქის მერიის ცნობით, ხიდზე ყოველდღიურად "
        "ორმოცდაათი ათასი მანქანა იმოძრავებს."
    )
    assert identify(georgian) == Language("ka", False)
    # Too short to tell: nothing is claimed either way.
    assert identify("ხიდი გაიხსნა") == Language("", True)


def test_english_is_told_without_the_detector_and_tokenized_as_before() -> None:
    text = (
        "On Tuesday, Mayor Jane O’Neil said the 2024 budget of $3.5 million wasn't enough "
        "for Brackenford's schools — and “nobody” disagreed."
    )
    assert vocabulary(text) == "en"
    assert [(t.start, t.end, t.key, t.kind) for t in tokenize(text)] == [
        (0, 2, "on", "function"),
        (3, 10, "tuesday", "name"),
        (12, 17, "mayor", "name"),
        (18, 22, "jane", "name"),
        (23, 29, "o'neil", "name"),
        (30, 34, "said", "word"),
        (35, 38, "the", "function"),
        (39, 43, "2024", "number"),
        (44, 50, "budget", "word"),
        (51, 53, "of", "function"),
        (55, 58, "3.5", "number"),
        (59, 66, "million", "word"),
        (67, 73, "wasn't", "word"),
        (74, 80, "enough", "word"),
        (81, 84, "for", "function"),
        (85, 98, "brackenford's", "name"),
        (99, 106, "schools", "word"),
        (109, 112, "and", "function"),
        (114, 120, "nobody", "word"),
        (122, 131, "disagreed", "word"),
    ]


_OTHER_SCRIPTS = re.compile(f"[{_MARKS}{_UNSPACED}]")


@given(st.text().map(lambda text: _OTHER_SCRIPTS.sub("", text)))
def test_english_token_regex_agrees_where_no_other_script_is_involved(text: str) -> None:
    def found(pattern: re.Pattern[str]) -> list[tuple[int, int]]:
        return [m.span() for m in pattern.finditer(text)]

    assert found(_ENGLISH_TOKEN_RE) == found(_TOKEN_RE)


def test_function_words_follow_the_language() -> None:
    text = article("fr/pont-valmont-fermeture.txt")
    kinds = {text[t.start : t.end]: t.kind for t in tokenize(text)}
    assert kinds["la"] == kinds["les"] == kinds["pour"] == "function"
    assert kinds["pont"] == "word"
    assert kinds["Hélène"] == "name" and kinds["14"] == "number"


def test_cyrillic_letters_like_digits_make_no_number() -> None:
    text = article("ru/metro-novaya-stanciya.txt")
    tokens = tokenize(text)
    kinds = {text[t.start : t.end]: t.kind for t in tokens}
    # "б" and "З" fold to "6" and "3" (look-alikes), but these are words.
    assert kinds["обошлось"] == "word" and kinds["бюджету"] == "word"
    assert kinds["Заречная"] != "number" and kinds["38"] == "number"


def test_scripts_without_spaces_are_fingerprinted_by_characters() -> None:
    text = article("zh/ditie-xinxian-kaitong.txt")
    tokens = tokenize(text)
    words = [text[t.start : t.end] for t in tokens]
    assert words[:4] == ["青", "川", "市", "地"]
    assert "28.6" in words
    items, _ = immutable_items(text, tokens)
    assert items[:4] == ["青", "川", "市", "地"]


def test_combining_marks_stay_inside_words() -> None:
    text = "हिन्दी भाषा"  # vowel signs and a virama are combining marks
    assert [text[t.start : t.end] for t in tokenize(text)] == ["हिन्दी", "भाषा"]
    decomposed = "Ge\u0301rard"
    assert [t.key for t in tokenize(decomposed)] == ["gerard"]

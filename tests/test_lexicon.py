"""Tests for unspin.lexicon against the real installed resources (no mocks).

The first run builds the cache (about 20 s) in the usual cache directory; later runs
reuse it.
"""

from __future__ import annotations

import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import wordfreq

from unspin.errors import UnspinError
from unspin.lexicon import Lexicon, build_cache, cache_path, get_lexicon
from unspin.lexicon.lexicon import FUNCTION_WORDS


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return get_lexicon()


@pytest.mark.parametrize(
    ("copy_word", "source_word", "expected"),
    [
        ("presented", "showed", "synonym"),
        ("star", "actor", "synonym"),  # WordNet: star is a kind of actor, and GloVe agrees
        ("perfectly", "absolutely", "synonym"),
        ("concurred", "agreed", "synonym"),
        ("ire", "anger", "synonym"),
        ("taxation", "tax", "inflection"),
        ("starring", "star", "inflection"),
        ("residency", "residence", "inflection"),
        ("shows", "showed", "inflection"),
        ("has presented", "showed", "synonym"),
        ("table", "democracy", None),
        ("hollywood", "parliament", None),
    ],
)
def test_relation_required_cases(
    lex: Lexicon, copy_word: str, source_word: str, expected: str | None
) -> None:
    assert lex.relation(copy_word, source_word) == expected


@pytest.mark.parametrize(
    ("copy_word", "source_word", "expected"),
    [
        ("take part", "participate", "synonym"),  # multiword WordNet lemma
        ("took part", "participated", "synonym"),  # ... inflected on its first word
        ("has shown", "showed", "inflection"),  # auxiliary dropped, then same lemma
        ("has", "had", "inflection"),  # only function words: compared as they are
        ("the famous actor", "star", "synonym"),  # head of the longer phrase
        ("big house", "large home", "synonym"),  # word by word
        ("big house", "small home", None),
        ("perfect", "perfectly", "inflection"),  # pertainym
    ],
)
def test_relation_phrases_and_derivations(
    lex: Lexicon, copy_word: str, source_word: str, expected: str | None
) -> None:
    assert lex.relation(copy_word, source_word) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("monday", "tuesday"),  # GloVe cosine 0.998, WordNet siblings
        ("north", "south"),  # Moby lists it, WordNet antonyms
        ("increase", "decrease"),
        ("good", "bad"),
        ("gold", "silver"),
        ("january", "february"),
    ],
)
def test_antonyms_and_siblings_are_not_synonyms(lex: Lexicon, a: str, b: str) -> None:
    assert lex.relation(a, b) is None
    assert lex.relation(b, a) is None


def test_relation_is_symmetric_on_examples(lex: Lexicon) -> None:
    for a, b in [("presented", "showed"), ("ire", "anger"), ("tax", "taxation")]:
        assert lex.relation(a, b) == lex.relation(b, a)


@pytest.fixture(scope="module")
def content_words(lex: Lexicon) -> list[str]:
    """The 5,000 most frequent content words: alphabetic, not auxiliaries, with synonyms."""
    words = []
    for word in wordfreq.top_n_list("en", 20000):
        lemmas = {lemma for found in lex.lemmas(word).values() for lemma in found}
        if (
            word.isalpha()
            and len(word) > 2
            and not (lemmas | {word}) & FUNCTION_WORDS
            and lex.synonyms(word, limit=1)
        ):
            words.append(word)
        if len(words) == 5000:
            break
    return words


def test_false_synonym_rate_on_random_frequent_pairs(
    lex: Lexicon, content_words: list[str]
) -> None:
    words = content_words
    rng = random.Random(2024)
    pairs = [tuple(rng.sample(words, 2)) for _ in range(2000)]
    rate = sum(lex.relation(a, b) == "synonym" for a, b in pairs) / len(pairs)
    assert rate < 0.02


def test_synonyms_ranked_and_lemma_level(lex: Lexicon) -> None:
    show = lex.synonyms("show")
    assert {"present", "demonstrate"} & set(show[:10])
    assert {"ire", "wrath"} & set(lex.synonyms("anger")[:10])
    assert "present" in lex.synonyms("showed")  # the lemma's synonyms
    assert "show" not in show
    assert len(lex.synonyms("show", limit=5)) == 5
    assert lex.synonyms("qzxvbnm") == []


def test_synonyms_pos_filter(lex: Lexicon) -> None:
    nouns = lex.synonyms("show", pos="NOUN")
    verbs = lex.synonyms("show", pos="VERB")
    assert "demonstrate" in verbs
    assert "demonstrate" not in nouns
    assert "display" in nouns


def test_lemmas_and_inflect(lex: Lexicon) -> None:
    assert lex.lemmas("showed") == {"VERB": ["show"]}
    assert "star" in lex.lemmas("starring").get("VERB", [])
    assert lex.inflect("show", "VBD") == "showed"
    assert lex.inflect("child", "NNS") == "children"
    assert lex.inflect("show", "NOT-A-TAG") is None


def test_similarity(lex: Lexicon) -> None:
    close = lex.similarity("star", "actor")
    assert 0.5 < close <= 1.0
    assert close == pytest.approx(lex.similarity("actor", "star"))
    assert lex.similarity("star", "star") == pytest.approx(1.0)
    assert lex.similarity("hollywood", "parliament") < close
    assert lex.similarity("star", "qzxvbnm") == 0.0


def test_zipf_and_is_word(lex: Lexicon) -> None:
    assert lex.zipf("the") > lex.zipf("taxation") > lex.zipf("qzxvbnm") == 0.0
    assert lex.is_word("residency")
    assert lex.is_word("showed")
    assert not lex.is_word("grard")  # an accent-stripped name is not a word
    assert not lex.is_word("qzxvbnm")


def test_lookup_speed(lex: Lexicon, content_words: list[str]) -> None:
    words = content_words
    rng = random.Random(7)
    pairs = [(rng.choice(words), rng.choice(words)) for _ in range(2000)]
    fresh = Lexicon(lex.path)  # empty caches: every pair is a cold lookup
    fresh.relation("warm", "up")
    start = time.perf_counter()
    for a, b in pairs:
        fresh.relation(a, b)
    cold = (time.perf_counter() - start) / len(pairs)
    start = time.perf_counter()
    for a, b in pairs:
        fresh.relation(a, b)
    warm = (time.perf_counter() - start) / len(pairs)
    assert cold < 200e-6
    assert warm < 20e-6


def test_threads_agree_with_serial(lex: Lexicon, content_words: list[str]) -> None:
    words = content_words[:500]
    rng = random.Random(3)
    pairs = [(rng.choice(words), rng.choice(words)) for _ in range(400)]
    expected = [lex.relation(a, b) for a, b in pairs]
    shared = Lexicon(lex.path)
    results: list[list[str | None]] = [[] for _ in range(4)]

    def work(slot: int) -> None:
        results[slot] = [shared.relation(a, b) for a, b in pairs]

    threads = [threading.Thread(target=work, args=(slot,)) for slot in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(result == expected for result in results)


def test_get_lexicon_is_a_singleton() -> None:
    assert get_lexicon() is get_lexicon()


def test_build_cache_reuses_existing_file(lex: Lexicon) -> None:
    before = lex.path.stat().st_mtime_ns
    assert build_cache() == lex.path
    assert lex.path.stat().st_mtime_ns == before


def test_cache_dir_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("UNSPIN_CACHE_DIR", str(tmp_path))
    assert cache_path().parent == tmp_path
    assert cache_path().name.startswith("lexicon-v")


def test_missing_resource_names_the_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("UNSPIN_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("UNSPIN_MYTHES_FILE", str(tmp_path / "missing.dat"))
    with pytest.raises(UnspinError, match="mythes-en-us"):
        build_cache()
    assert not any(tmp_path.iterdir())


_BUILD_AND_QUERY = """
from unspin.lexicon import get_lexicon
lex = get_lexicon()
print(lex.path, lex.relation("ire", "anger"))
"""


@pytest.mark.slow
def test_concurrent_builds_share_one_cache(tmp_path: Path) -> None:
    env = {"UNSPIN_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _BUILD_AND_QUERY],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [proc.communicate(timeout=300) for proc in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert out.split() == [str(tmp_path / cache_path().name), "synonym"]
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_word_frequencies_are_wordfreqs_own() -> None:
    # Plain lower-case words take a quicker path than wordfreq's; the answers must not move.
    from unspin.lexicon.lexicon import _plain_zipf

    known = [w for w in wordfreq.get_frequency_dict("en") if w.isascii() and w.isalpha()]
    rng = random.Random(7)
    words = rng.sample(known, 3000) + [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(1, 12)))
        for _ in range(3000)
    ]
    assert [_plain_zipf(w) for w in words] == [wordfreq.zipf_frequency(w, "en") for w in words]

"""Which language a text is in, and what a spinner leaves alone in it.

Fingerprints (:mod:`unspin.fingerprint`) keep the words that have no
synonym. In English those are a hand-made list of function words
(:data:`unspin.normalize.FUNCTION_WORDS`); every other language takes the
commonest words of wordfreq's list for it, which are its articles, pronouns,
prepositions and auxiliaries. Scripts written without spaces between words
(Chinese, Japanese, Thai, Lao, Khmer, Myanmar) have no words to keep: the
tokenizer splits them into one token per character and their fingerprints
are character n-grams.

The language is told by py3langid (langid.py's naive Bayes model over byte
n-grams, shipped inside the wheel; deterministic). Every indexed text is
tokenized, so English, by far the common case, is recognized first by a
count of its commonest words, which costs a few microseconds.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from typing import Protocol

UNSPACED = (
    "\u0e00-\u0eff"  # Thai, Lao
    "\u1000-\u109f"  # Myanmar
    "\u1780-\u17ff"  # Khmer
    "\u3005-\u3007\u3040-\u30ff\u31f0-\u31ff"  # kana, iteration marks
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"  # Han
    "\uff66-\uff9f"  # half-width katakana
)
"""Character ranges (for a regex class) of the scripts written without spaces."""

UNSPACED_LANGUAGES = frozenset({"zh", "ja", "th", "lo", "km", "my", "wuu", "yue"})

FUNCTION_WORD_COUNT = 150
"""How many of a language's commonest words count as its function words."""

_SAMPLE = 1000
"""Characters from the middle of a text (away from a site's header and
footer) that language identification reads: plenty to be sure, at a bounded cost."""
_MIN_BYTES = 300
"""Below this much text (UTF-8 bytes: about 50 English words or 100 Chinese
characters) no language is claimed."""
_MIN_CONFIDENCE = 0.9
"""Below this probability the detector is unsure, and the language unsupported."""

_ENGLISH_MARKERS = (" the ", " of ")
_ENGLISH_SHARE = 0.015
"""Share of the words, at least, that are the markers above in English prose:
2% or more in every English sample article, none in the other languages'
samples. English is told so without the detector, which costs as much as
tokenizing."""
_ENGLISH_EXTRA_BYTES = 0.15
"""Most UTF-8 bytes beyond one per character in English prose (quotes,
dashes, accented names, look-alike letters): a Chinese article in an English
site's header and footer has more, and fewer spaces to count words by."""

# Detector codes whose wordfreq list has another name (Norwegian, Serbo-Croatian, ...).
_WORDLIST_ALIASES = {
    "no": "nb",
    "nn": "nb",
    "sr": "sh",
    "hr": "sh",
    "bs": "sh",
    "tl": "fil",
    "arz": "ar",
    "ary": "ar",
    "wuu": "zh",
}


@dataclass(frozen=True, slots=True)
class Language:
    """The language of a text, as far as unspin can trace copies in it."""

    code: str
    """ISO 639 code ("fr", "zh"; three letters where there is no two-letter
    one); empty when the text is too short to tell or the detector is unsure."""
    supported: bool
    """False when copies of the text cannot be traced: a language with no word
    list and a script with spaces, or text the detector cannot place. An empty
    search result then says nothing."""


def identify(text: str) -> Language:
    """The language of ``text`` and whether unspin can trace copies written in it."""
    guess = _guess(text)
    if guess is None:
        return Language("en", True)
    code, confidence = guess
    if not code:
        return Language("", True)
    if confidence < _MIN_CONFIDENCE:
        return Language("", False)
    return Language(code, code in UNSPACED_LANGUAGES or wordlist(code) is not None)


def vocabulary(text: str) -> str:
    """The wordfreq language whose function words ``text`` is tokenized with.

    "en" for English prose, told by its commonest words. Otherwise the
    detected language's list, or empty where there is none (a short text, a
    language without a list, English that the count missed): the English
    function words are used then, as before languages were told apart. The
    detector's best guess is taken even when it is unsure, so that a copy
    gets the same words as its source whatever was added to it.
    """
    guess = _guess(text)
    if guess is None:
        return "en"
    code = guess[0]
    return "" if code == "en" else wordlist(code) or ""


def wordlist(code: str) -> str | None:
    """The wordfreq language for a detector code, None when wordfreq has none."""
    name = _WORDLIST_ALIASES.get(code, code)
    return name if name in _wordfreq_languages() else None


@functools.cache
def function_words(code: str) -> tuple[str, ...]:
    """The commonest words of a wordfreq language, as written."""
    import wordfreq  # a slow import (its language tables): only other languages need it

    return tuple(wordfreq.top_n_list(code, FUNCTION_WORD_COUNT))


@functools.cache
def combining_marks() -> str:
    """The combining marks (for a regex class) of the scripts in use: they belong inside words.

    Hindi vowel signs, Arabic vowel marks and the accents of decomposed Latin
    text are marks, which a regex's ``\\w`` does not match.
    """
    blocks = (range(0x0300, 0x2000), range(0x20D0, 0x2100), range(0x302A, 0x30A0))
    return "".join(
        chr(c) for block in blocks for c in block if unicodedata.category(chr(c)).startswith("M")
    )


def _guess(text: str) -> tuple[str, float] | None:
    """The detector's best guess and its probability; None for English prose
    told by its commonest words, an empty code for a text too short to tell.

    Varieties that unspin treats alike (Chinese and Wu, Arabic and its
    dialects) share their probability: the detector often splits it between them.
    """
    start = max(0, (len(text) - _SAMPLE) // 2)
    sample = text[start : start + _SAMPLE]
    size = len(sample.encode("utf-8", "surrogatepass"))  # a str may hold lone surrogates
    if size <= (1 + _ENGLISH_EXTRA_BYTES) * len(sample):
        words = sample.count(" ") + 1
        if sum(sample.count(marker) for marker in _ENGLISH_MARKERS) >= _ENGLISH_SHARE * words:
            return None
    if size < _MIN_BYTES:
        return "", 0.0
    ranked = _detector().rank(sample)
    best = ranked[0][0]
    treated_alike = wordlist(best) or best
    return best, sum(p for code, p in ranked if (wordlist(code) or code) == treated_alike)


class _Detector(Protocol):
    def rank(self, text: str) -> list[tuple[str, float]]: ...


def preload() -> None:
    """Load the language detector now, so that worker processes forked afterwards
    share this one instead of each loading its own (half a second apiece)."""
    _detector()


@functools.cache
def _detector() -> _Detector:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    # Loading the model takes most of a second: only texts that are not English need it.
    identifier: _Detector = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return identifier


@functools.cache
def _wordfreq_languages() -> frozenset[str]:
    import wordfreq

    return frozenset(wordfreq.available_languages())

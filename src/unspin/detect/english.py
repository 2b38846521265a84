"""A model of general English in context: would a writer have chosen this word here?

The detector's other signals look at one word or one word pair at a time. A
trigram language model of general US English (the one pocketsphinx ships in
its wheel: 72,547 words, 2 million word pairs, 1.7 million triples) scores the
word with the two words before it and the two after it, and so sees that
"became a taxation exile", "in ire over" and "an perfectly" are unlikely
English, while "became a tax exile" is not. Comparing the written word with its
candidate originals in the same window is the n-gram counterpart of a masked
language model's pseudo-likelihood.

The model's vocabulary is lowercase and has no punctuation: a sentence ends the
context (its first word follows ``<s>``), commas and quotes do not.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from unspin.errors import UnspinError
from unspin.lexicon.resources import english_lm_path
from unspin.model import Token

SENTENCE_START = "<s>"
UNKNOWN_LOG10 = -9.0
"""log10 probability given to a word the model does not know (below its rarest words')."""
_LOG_BASE_TO_LOG10 = 4.342727686266485e-05
"""pocketsphinx's LogMath works in logarithms to base 1.0001: log10(1.0001)."""
_REINSTALL = "reinstall it with 'pip install --force-reinstall pocketsphinx'"
_MAX_CACHED = 1 << 18
_SENTENCE_END = re.compile(r"[.!?;:\n]")


@dataclass(frozen=True, slots=True)
class WordContext:
    """The words around one token as the language model reads them (None: none there)."""

    before: str
    """The word before ``previous`` (or ``<s>``)."""
    previous: str
    """The word just before (``<s>`` at the start of a sentence)."""
    following: str | None
    after: str | None
    """The word after ``following``."""


class WindowScore(NamedTuple):
    """log10 probabilities of one word in its window: itself, and the words after it.

    A named tuple: detection makes a few thousand per text, and a frozen dataclass
    takes several times as long to make."""

    left: float
    """log10 P(word | previous, before)."""
    right: float
    """log10 P(following | word, previous) + log10 P(after | following, word)."""

    @property
    def total(self) -> float:
        return self.left + self.right


class EnglishModel:
    """The trigram model, with a bounded cache of its answers (texts repeat their words)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = english_lm_path() if path is None else path
        where = f"English language model {self.path}"
        if not self.path.is_file():
            raise UnspinError(f"{where}: missing; {_REINSTALL}")
        try:
            import pocketsphinx

            # Its C library would print its own complaints about a bad file next to ours.
            pocketsphinx.set_loglevel("FATAL")
            self._model = pocketsphinx.NGramModel(
                pocketsphinx.Config(), pocketsphinx.LogMath(), str(self.path)
            )
        except (ImportError, OSError, RuntimeError, ValueError) as error:
            raise UnspinError(f"{where}: unreadable ({error}); {_REINSTALL}") from None
        self.log10 = functools.lru_cache(maxsize=_MAX_CACHED)(self._log10)

    def _log10(self, word: str, previous: str | None = None, before: str | None = None) -> float:
        """log10 P(word | before previous), backing off to shorter histories as it must."""
        # Detection asks a few thousand new questions per text: no lists built to no purpose.
        if previous is None:
            query = [word] if before is None else [word, before]
        elif before is None or previous == SENTENCE_START:
            query = [word, previous]
        else:
            query = [word, previous, before]
        found = self._model.prob(query) * _LOG_BASE_TO_LOG10
        return found if found > UNKNOWN_LOG10 else UNKNOWN_LOG10

    def knows(self, word: str) -> bool:
        return self.log10(word) > UNKNOWN_LOG10

    def window(self, word: str, context: WordContext) -> WindowScore:
        """How likely general English finds ``word`` in ``context``, left and right."""
        (left,), (right,) = self.windows([word], context)
        return WindowScore(left, right)

    def windows(
        self, words: Sequence[str], context: WordContext
    ) -> tuple[list[float], list[float]]:
        """:meth:`window` of each of ``words`` in one ``context``: the lefts, and the rights
        (a word's candidates are judged in its place, a few thousand per text)."""
        log10, previous = self.log10, context.previous
        following, after = context.following, context.after
        lefts = [log10(word, previous, context.before) for word in words]
        if following is None:
            return lefts, [0.0] * len(words)
        if after is None:
            return lefts, [log10(following, word, previous) for word in words]
        return lefts, [
            log10(following, word, previous) + log10(after, following, word) for word in words
        ]


def word_context(text: str, tokens: Sequence[Token], index: int) -> WordContext:
    """The words before and after ``tokens[index]`` in the same sentence."""

    def joined(i: int) -> bool:  # is tokens[i] in the same sentence as tokens[i - 1]?
        return 0 < i < len(tokens) and not _SENTENCE_END.search(
            text[tokens[i - 1].end : tokens[i].start]
        )

    previous = tokens[index - 1].key if joined(index) else SENTENCE_START
    before = tokens[index - 2].key if joined(index) and joined(index - 1) else SENTENCE_START
    following = tokens[index + 1].key if joined(index + 1) else None
    after = tokens[index + 2].key if following is not None and joined(index + 2) else None
    return WordContext(before, previous, following, after)


@functools.cache
def shared_english_model() -> EnglishModel:
    """The one model of the process (it loads in a few tens of milliseconds, then caches)."""
    return EnglishModel()

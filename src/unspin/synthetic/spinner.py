"""A synonym spinner that records exactly what it changed.

It imitates the article spinners content farms use: a share of the content
words become synonyms in the same grammatical form, a few become clumsy
forms of themselves ("tax" -> "taxation") or multiword phrases ("showed" ->
"has presented"), filler adverbs appear and the odd adjective disappears.
Names, numbers and function words are left alone.
"""

from __future__ import annotations

import itertools
import random
import re
from dataclasses import dataclass

from unspin.lexicon.wordforms import (
    BE_FORMS,
    DETERMINERS,
    FROZEN_WORDS,
    LexiconLike,
    WordAnalyzer,
    WordEntry,
    context_hint,
)
from unspin.normalize import sentence_spans
from unspin.synthetic.ground_truth import Swap, SwapKind, Variant

CLUMSY_SHARE = 0.10
"""Share of swaps that use a wrong form or derivation of the word itself."""

FILLERS = (
    "really",
    "also",
    "reportedly",
    "indeed",
    "actually",
    "clearly",
    "certainly",
    "apparently",
    "notably",
    "now",
    "still",
    "even",
    "largely",
    "further",
)

_TOKEN_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*|\d[\d.,:%]*")
_QUOTE_RE = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”|‘[^’\n]*’")

# An edit on the source text: (start, end, new text, kind).
_Op = tuple[int, int, str, SwapKind]


@dataclass(slots=True)
class _Word:
    start: int
    end: int
    text: str
    entry: WordEntry | None
    sentence_initial: bool
    in_quote: bool
    previous: str
    """The previous word when only whitespace separates them, else ``""``."""


def stochastic_round(x: float, rng: random.Random) -> int:
    """``x`` rounded up with probability equal to its fraction (unbiased)."""
    whole = int(x)
    return whole + (rng.random() < x - whole)


class Spinner:
    """Spins texts with a lexicon; reuse one instance, its word cache is the speed.

    ``lexicon`` defaults to :func:`unspin.lexicon.get_lexicon`. ``seed`` seeds
    the instance's own random stream, used when :meth:`spin` gets no seed.
    """

    def __init__(self, lexicon: LexiconLike | None = None, seed: int = 0) -> None:
        if lexicon is None:
            from unspin.lexicon import get_lexicon  # heavy; only when no lexicon is given

            lexicon = get_lexicon()
        self._words = WordAnalyzer(lexicon)
        self._rng = random.Random(seed)

    def spin(
        self,
        text: str,
        rate: float,
        *,
        insert_rate: float = 0.03,
        delete_rate: float = 0.03,
        phrase_rate: float = 0.15,
        spare_quotes: bool = False,
        seed: int | None = None,
    ) -> Variant:
        """Spin ``text``: swap ``rate`` of its swappable content words.

        ``phrase_rate`` of the swaps use a multiword phrase, about
        ``CLUMSY_SHARE`` a wrong form of the word itself. Fillers are inserted
        and adjectives/adverbs dropped at ``insert_rate``/``delete_rate``
        times the number of words. ``spare_quotes`` leaves text inside
        quotation marks alone. With ``seed`` the result depends only on the
        arguments; without, on the spinner's own stream. The variant has no
        source ids (``make_variant`` fills those in).
        """
        for name, value in (
            ("rate", rate),
            ("insert_rate", insert_rate),
            ("delete_rate", delete_rate),
            ("phrase_rate", phrase_rate),
        ):
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
        rng = self._rng if seed is None else random.Random(seed)
        words = self._scan(text, spare_quotes)
        ops = self._swap_ops(words, rate, phrase_rate, rng)
        taken = {op[0] for op in ops}
        deleted = self._delete_ops(text, words, taken, delete_rate, rng)
        ops += deleted
        taken |= {op[0] for op in deleted}
        ops += self._insert_ops(text, words, taken, insert_rate, rng)
        new_text, swaps = _apply(text, ops)
        return Variant("spun", new_text, [], rate, swaps, [])

    def swappable(self, text: str, *, spare_quotes: bool = False) -> list[tuple[int, int]]:
        """Spans of the words :meth:`spin` may swap (the denominator of ``rate``)."""
        return [(w.start, w.end) for w in self._scan(text, spare_quotes) if _swappable(w)]

    def _scan(self, text: str, spare_quotes: bool) -> list[_Word]:
        """Tokenize ``text`` and look up the spinning options of each word."""
        matches = list(_TOKEN_RE.finditer(text))
        first_words = _sentence_initial_indexes(text, matches)
        # A capitalised word somewhere mid-sentence is a name everywhere.
        names = {
            m.group()
            for i, m in enumerate(matches)
            if i not in first_words and m.group()[0].isupper()
        }
        quoted = [m.span() for m in _QUOTE_RE.finditer(text)] if spare_quotes else []
        words: list[_Word] = []
        previous: str | None = None
        previous_end = -1
        for index, match in enumerate(matches):
            word = match.group()
            start, end = match.span()
            lower = self._spinnable_form(word, index, matches, first_words, names)
            entry = None
            joined = previous_end >= 0 and text[previous_end:start].isspace()
            if lower is not None:
                following = matches[index + 1] if index + 1 < len(matches) else None
                follows = (
                    following is not None
                    and text[end : following.start()].isspace()
                    and following.group().islower()
                    and following.group() not in FROZEN_WORDS
                )
                hint = context_hint(previous.lower() if joined and previous else None, follows)
                entry = self._words.entry(lower, hint)
            in_quote = any(q0 < start < q1 for q0, q1 in quoted)
            words.append(
                _Word(
                    start,
                    end,
                    word,
                    entry,
                    index in first_words,
                    in_quote,
                    previous if joined and previous else "",
                )
            )
            previous, previous_end = word, end
        return words

    @staticmethod
    def _spinnable_form(
        word: str,
        index: int,
        matches: list[re.Match[str]],
        first_words: set[int],
        names: set[str],
    ) -> str | None:
        """The lowercase word to look up, or ``None`` for names, numbers, function words."""
        if not (word.isascii() and word.isalpha()) or len(word) < 3:
            return None
        if word.islower():
            lower = word
        elif (
            index in first_words
            and word[1:].islower()
            and word not in names
            and not (index + 1 < len(matches) and matches[index + 1].group()[0].isupper())
        ):
            # Sentence-initial common word ("Officials said"), not "Putin" or "Bill Gates".
            lower = word.lower()
        else:
            return None
        return None if lower in FROZEN_WORDS else lower

    def _swap_ops(
        self, words: list[_Word], rate: float, phrase_rate: float, rng: random.Random
    ) -> list[_Op]:
        eligible = [i for i, w in enumerate(words) if _swappable(w)]
        count = min(len(eligible), stochastic_round(rate * len(eligible), rng))
        chosen = rng.sample(eligible, count)
        chosen.sort()
        # Deal out phrase and clumsy swaps to words that have them, in random order.
        order = chosen[:]
        rng.shuffle(order)
        kinds: dict[int, SwapKind] = {}
        shares: tuple[tuple[SwapKind, float], ...] = (
            ("phrase", phrase_rate),
            ("inflection", CLUMSY_SHARE),
        )
        for kind, share in shares:
            quota = stochastic_round(share * len(chosen), rng)
            for i in order:
                entry = words[i].entry
                assert entry is not None
                options = entry.phrases if kind == "phrase" else entry.clumsy
                if quota and i not in kinds and options:
                    kinds[i] = kind
                    quota -= 1
        ops: list[_Op] = []
        for i in chosen:
            word = words[i]
            entry = word.entry
            assert entry is not None
            kind = kinds.get(i, "synonym" if entry.singles else "phrase")
            # Draw again (a few times) rather than write "a idea" or "they has".
            for _ in range(4):
                if kind == "synonym":
                    new = rng.choices(entry.singles, cum_weights=entry.cum_weights)[0]
                elif kind == "phrase":
                    new = rng.choice(entry.phrases)
                else:
                    new = rng.choice(entry.clumsy)
                if _agrees(word.previous, new):
                    break
            if word.text[0].isupper():
                new = new[0].upper() + new[1:]
            ops.append((word.start, word.end, new, kind))
        return ops

    @staticmethod
    def _delete_ops(
        text: str, words: list[_Word], taken: set[int], rate: float, rng: random.Random
    ) -> list[_Op]:
        """Drop adjectives before nouns and adverbs, with the space after them."""
        candidates: list[int] = []
        for i, (word, nxt) in enumerate(itertools.pairwise(words)):
            entry, next_entry = word.entry, nxt.entry
            if (
                entry is None
                or entry.upos not in ("ADJ", "ADV")
                or word.start in taken
                or word.sentence_initial
                or word.in_quote
                or not word.text.islower()
                or text[word.end : nxt.start] != " "
                or not nxt.text.islower()
                or nxt.start in taken
                or not _agrees(word.previous, nxt.text)
            ):
                continue
            if entry.upos == "ADJ" and (
                next_entry is None or next_entry.upos not in ("NOUN", "ADJ")
            ):
                continue  # "the sky is blue." must keep its "blue"
            candidates.append(i)
        count = min(len(candidates), stochastic_round(rate * len(words), rng))
        ops: list[_Op] = []
        for i in sorted(rng.sample(candidates, count)):
            ops.append((words[i].start, words[i + 1].start, "", "deletion"))
        return ops

    @staticmethod
    def _insert_ops(
        text: str, words: list[_Word], taken: set[int], rate: float, rng: random.Random
    ) -> list[_Op]:
        """Put a filler adverb before a verb, or an adjective after "is"/"was"."""
        candidates: list[int] = []
        for i in range(1, len(words)):
            word, prev = words[i], words[i - 1]
            before = prev.text.lower()
            if (
                word.entry is None
                or word.sentence_initial
                or word.in_quote
                or word.start in taken
                or prev.start in taken
                or text[prev.end : word.start] != " "
                or not prev.text.isalpha()
                or before in DETERMINERS
                or before == "to"
                or (prev.entry is not None and prev.entry.upos == "ADV")
            ):
                continue
            if word.entry.upos == "VERB" or (word.entry.upos == "ADJ" and before in BE_FORMS):
                candidates.append(i)
        count = min(len(candidates), stochastic_round(rate * len(words), rng))
        ops: list[_Op] = []
        for i in sorted(rng.sample(candidates, count)):
            neighbours = {words[i - 1].text.lower(), words[i].text.lower()}
            filler = rng.choice([f for f in FILLERS if f not in neighbours])
            ops.append((words[i].start, words[i].start, filler + " ", "insertion"))
        return ops


def _agrees(previous: str, following: str) -> bool:
    """Whether ``following`` reads right after the word ``previous``.

    Checks "a"/"an" against the next sound (by spelling), and writes "has"
    only after a singular subject: "he", "she", "it" or a name ("Putin has").
    """
    lower = previous.lower()
    if lower in ("a", "an"):
        return (following[0] in "aeiouAEIOU") == (lower == "an")
    if following.startswith("has "):
        return lower in ("he", "she", "it") or (previous[:1].isupper() and previous[-1] != "s")
    return True


def _swappable(word: _Word) -> bool:
    return word.entry is not None and word.entry.swappable and not word.in_quote


def _sentence_initial_indexes(text: str, matches: list[re.Match[str]]) -> set[int]:
    """Indexes of the tokens that open a sentence."""
    starts = iter(start for start, _ in sentence_spans(text))
    first: set[int] = set()
    boundary = next(starts, None)
    for index, match in enumerate(matches):
        if boundary is None:
            break
        if match.start() >= boundary:
            first.add(index)
            boundary = next(starts, None)
            while boundary is not None and boundary <= match.start():
                boundary = next(starts, None)
    return first


def _apply(text: str, ops: list[_Op]) -> tuple[str, list[Swap]]:
    """Carry out non-overlapping ``ops`` on ``text`` and record them as swaps."""
    # An insertion sorts before a swap that starts where it does, a deletion
    # before the swap that follows it: then undoing them last-first is exact.
    ops = sorted(ops, key=lambda op: (op[0], op[1]))
    parts: list[str] = []
    swaps: list[Swap] = []
    position = 0
    length = 0
    for start, end, new, kind in ops:
        parts.append(text[position:start])
        length += start - position
        swaps.append(Swap(length, length + len(new), new, text[start:end], kind))
        parts.append(new)
        length += len(new)
        position = end
    parts.append(text[position:])
    return "".join(parts), swaps

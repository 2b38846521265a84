"""Alignment: which words of the copy came from which words of the source.

Spinners work sentence by sentence, so alignment does too:

1. every copy sentence is paired with the source sentence it most resembles
   (token-level LCS over normalized keys, computed by rapidfuzz); when a
   source repeats a sentence, the copy is paired with the occurrence that
   continues its order;
2. within a pair, a word-level edit script (Levenshtein opcodes) lines the
   words up, and every replacement is labelled with the lexicon: ``synonym``,
   ``inflection`` or ``other``; words inside quotation marks in both texts
   are a shared ``quote``;
3. a pair only counts as *copied* when most of the copy sentence is derived
   from the source (verbatim, synonym or inflection). An independent retelling
   of the same story shares names and function words, but its sentences do not
   pass this test, which is what later tells "spun" from "independent";
4. copied sentences that appear out of the source's order are ``moved``
   (everything outside the longest in-order chain); copy sentences with no
   source are ``insertion``; source sentences nobody copied are ``deletion``;
5. copied sentences that follow each other in both texts (forwards, or
   backwards in a copy that reversed them) make a *passage*.

Text that is not prose (a list flattened to one line, a page stripped of its
punctuation) has "sentences" far longer than the source's. Such a copy
sentence is cut where the source's sentences start, found by one word-level
alignment of the two whole texts, so it pairs up sentence by sentence.

Every :class:`~unspin.model.Edit` carries character offsets into both texts
as the user gave them. The thresholds above ("most", "much longer") are the
alignment fields of :class:`~unspin.settings.CheckSettings`.
"""

from __future__ import annotations

import bisect
import itertools
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, cast

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import Indel, Levenshtein
from rapidfuzz.process import cdist

from unspin.model import Edit, EditType, Passage, SentencePair, Token
from unspin.normalize import (
    Sentence,
    lossy_key,
    sentence_extent,
    sentences,
    tokenize_sentences,
)
from unspin.settings import CheckSettings


class RelationFinder(Protocol):
    """What the aligner needs from a lexicon (see :mod:`unspin.lexicon`)."""

    def relation(self, copy_word: str, source_word: str) -> str | None: ...


@dataclass(slots=True)
class Text:
    """A text with its tokens and sentences, prepared once for alignment."""

    text: str
    tokens: list[Token]
    sentences: list[Sentence]
    _quoted: list[bool] | None = None
    _codes: tuple[int, list[str]] | None = None
    """The tokens' characters in the code table (see :class:`_CodeTable`), with its generation."""
    _non_ascii: list[int] | None = None
    _content_before: list[int] | None = None
    _match_keys: list[str] | None = None

    @classmethod
    def of(cls, text: str, tokens: list[Token] | None = None) -> Text:
        if tokens is None:
            return cls(text, *tokenize_sentences(text))
        return cls(text, tokens, sentences(text, tokens))

    @property
    def quoted(self) -> list[bool]:
        """For each token, whether it stands inside quotation marks (worked out when asked)."""
        if self._quoted is None:
            self._quoted = quoted_tokens(self.text, self.tokens)
        return self._quoted

    @property
    def match_keys(self) -> list[str]:
        """Each token's key for matching words (see :func:`_match_key`)."""
        if self._match_keys is None:
            self._match_keys = [_match_key(t) for t in self.tokens]
        return self._match_keys

    def content_words(self, first: int, end: int) -> int:
        """How many of the tokens ``first`` to ``end`` are content words (kind "word")."""
        if self._content_before is None:
            self._content_before = [0, *itertools.accumulate(t.kind == "word" for t in self.tokens)]
        return self._content_before[end] - self._content_before[first]

    @property
    def non_ascii(self) -> list[int]:
        """The tokens written with letters beyond ASCII, by index (worked out when asked)."""
        if self._non_ascii is None:
            # Found from the text's few non-ASCII characters (dashes and quotes, mostly).
            starts = [t.start for t in self.tokens]
            found: list[int] = []
            for char in _NON_ASCII_RE.finditer(self.text):
                k = bisect.bisect_right(starts, char.start()) - 1
                if k >= 0 and char.start() < self.tokens[k].end and (not found or found[-1] != k):
                    found.append(k)
            self._non_ascii = found
        return self._non_ascii


_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")
# Opening and closing marks; a straight double quote does both, by turns.
_QUOTE_MARK_RE = re.compile(r"[\"“”„«»「」『』]|\n[ \t]*\n")
_OPENING = frozenset("“„«「『")
_CLOSING = frozenset("”»」』")


def quoted_tokens(text: str, tokens: Sequence[Token]) -> list[bool]:
    """For each token, whether it stands inside quotation marks.

    A quote left open runs to the end of its paragraph: news style opens each
    paragraph of a long quote again and closes only the last one.
    """
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    for mark in _QUOTE_MARK_RE.finditer(text):
        char = mark.group()[0]
        if char == "\n" or char in _CLOSING or (char in '"“' and opened is not None):
            if opened is not None:
                spans.append((opened, mark.start()))
                opened = None
        elif char in _OPENING or char == '"':
            opened = mark.end()
    if opened is not None:
        spans.append((opened, len(text)))
    if not spans:
        return [False] * len(tokens)
    result: list[bool] = []
    spans.append((len(text) + 1, len(text) + 1))
    k = 0
    for token in tokens:
        while spans[k][1] <= token.start:
            k += 1
        result.append(spans[k][0] <= token.start)
    return result


@dataclass(frozen=True, slots=True)
class UnitPair:
    """A copy unit (sentence) and the source sentence it derives from, by index:
    what the aligner works with; :class:`~unspin.model.SentencePair` is what it reports."""

    copy_sentence: int
    source_sentence: int
    derived: float
    """Share of the copy sentence's words that derive from the source sentence."""
    own_words: int = 0
    """Copy sentence words outside quotes shared with the source."""
    own_derived: int = 0
    """Of those, the words derived from the source sentence."""
    copied_own_words: bool = False
    """Whether the copier took this sentence, not just a quote inside it."""


@dataclass(slots=True)
class Alignment:
    """The word-by-word alignment of a copy with one source.

    When the two texts cannot share a copied passage (too few look-alike
    sentences), alignment stops early: no pairs and no edits.
    """

    edits: list[Edit]
    pairs: list[UnitPair]
    copy_words: int
    source_words: int
    """Words of the source, a sentence it repeats counted once."""
    copy_sentences: int
    derived_copy_words: int = 0
    reused_source_words: int = 0
    aligned_content_words: int = 0
    swapped_content_words: int = 0
    own_copied_words: int = 0
    """Copy words derived from the source outside shared quotes."""
    passages: list[Passage] = field(default_factory=list)
    """Copied passages, most sentences first."""
    sentence_pairs: list[SentencePair] = field(default_factory=list)
    """``pairs`` with character offsets into both texts, in the copy's order."""

    @property
    def copied_sentences(self) -> int:
        """Copy sentences that took the source's own words, in any order."""
        return sum(1 for p in self.pairs if p.copied_own_words)


def align(
    copy: Text, source: Text, lexicon: RelationFinder, *, settings: CheckSettings
) -> Alignment:
    """Align a copy with a source, labelling every edit."""
    codes = _Codebook(copy, source)
    units = _copy_units(copy, source, codes, settings)
    copy_strings = [codes.encode_copy(s) for s in units]
    source_strings = [codes.encode_source(s) for s in source.sentences]
    result = Alignment(
        [], [], len(copy.tokens), _distinct_words(source, source_strings), len(units)
    )
    if not copy_strings or not source_strings:
        return result

    # A source that repeats a sentence (boilerplate, a pasted block, a live
    # blog) is compared once per distinct sentence.
    occurrences: dict[str, list[int]] = {}
    for j, string in enumerate(source_strings):
        occurrences.setdefault(string, []).append(j)
    distinct = list(occurrences)
    ranked = _SentenceFinder(distinct, settings).rank(copy_strings)
    closest = [row[0][0] if row else 0.0 for row in ranked]
    if sum(1 for c in closest if c >= settings.likely_copied) < min(2, len(copy_strings)):
        # Too few look-alike sentences to hold a copied passage: not a copy,
        # and not worth a word-level alignment.
        return result
    labeller = _Labeller(copy, source, lexicon, settings)
    pairs: list[tuple[int, int, list[_WordEdit]]] = []
    previous = -1
    for i, row in enumerate(ranked):
        best: tuple[float, int, list[_WordEdit]] | None = None
        # The LCS ranking is blind to synonyms: re-rank its top few by how
        # much of the copy sentence actually derives from each.
        for similarity, u in row[:3]:
            if similarity < max(settings.pairing_floor, closest[i] - settings.pairing_slack):
                break
            j = _next_occurrence(occurrences[distinct[u]], previous)
            words = labeller.align_sentences(
                units[i], source.sentences[j], copy_strings[i], source_strings[j]
            )
            derived = _derived_share(words, units[i])
            if _names_conflict(copy, source, words):
                continue
            if best is None or derived > best[0]:
                best = (derived, j, words)
        if best is not None and best[0] >= settings.copied_sentence:
            pairs.append((i, best[1], best[2]))
            previous = best[1]
    if len(units) > len(copy.sentences):
        units, pairs = _rejoin(units, pairs, labeller, codes, source, source_strings)
        result.copy_sentences = len(units)
    _finish(result, copy, source, units, source_strings, pairs, settings)
    return result


def _rejoin(
    units: list[Sentence],
    pairs: list[tuple[int, int, list[_WordEdit]]],
    labeller: _Labeller,
    codes: _Codebook,
    source: Text,
    source_strings: Sequence[str],
) -> tuple[list[Sentence], list[tuple[int, int, list[_WordEdit]]]]:
    """Pieces of one copy sentence that pair with the same source sentence, joined again.

    A copy sentence too long for its source was cut where the source's
    sentences start (:func:`_copy_units`). Where the copy reordered words,
    neighbouring pieces can derive from one source sentence, and aligned
    apart both claim some of its words; pieces that share out its words
    between them stay apart.
    """
    joined: list[Sentence] = []
    new_index: dict[int, int] = {}
    partner = {i: (j, _claimed(words)) for i, j, words in pairs}
    for i, unit in enumerate(units):
        here, before = partner.get(i), partner.get(i - 1)
        if (
            here is not None
            and before is not None
            and here[0] == before[0]
            and here[1] & before[1]
            and joined[-1].end == unit.first
        ):
            joined[-1] = Sentence(joined[-1].first, unit.end)
        else:
            joined.append(unit)
        new_index[i] = len(joined) - 1
    if len(joined) == len(units):
        return units, pairs
    rejoined: list[tuple[int, int, list[_WordEdit]]] = []
    for i, j, words in pairs:
        k = new_index[i]
        if rejoined and rejoined[-1][0] == k:
            continue
        if joined[k] != units[i]:
            words = labeller.align_sentences(
                joined[k], source.sentences[j], codes.encode_copy(joined[k]), source_strings[j]
            )
        rejoined.append((k, j, words))
    return joined, rejoined


def pair_edits(
    copy: Text,
    source: Text,
    pairs: Sequence[tuple[Sentence, Sentence]],
    lexicon: RelationFinder,
    *,
    settings: CheckSettings,
) -> list[list[Edit]]:
    """Word edits inside sentence pairs found some other way (by meaning, see
    :mod:`unspin.meaning`), labelled as :func:`align` labels them; each side of a
    pair is a token range, so a merged pair is two sentences' range."""
    codes = _Codebook(copy, source)
    labeller = _Labeller(copy, source, lexicon, settings)
    return [
        [
            _to_edit(edit, copy, source)
            for edit in labeller.align_sentences(c, s, codes.encode_copy(c), codes.encode_source(s))
        ]
        for c, s in pairs
    ]


def _claimed(words: Sequence[_WordEdit]) -> set[int]:
    """The source words that stand for copy words in these edits."""
    return {
        k
        for edit in words
        if edit.copy_first < edit.copy_end
        for k in range(edit.source_first, edit.source_end)
    }


def _next_occurrence(occurrences: list[int], previous: int) -> int:
    """Of a repeated source sentence, the occurrence that best continues the copy's order."""
    k = bisect.bisect_right(occurrences, previous)
    return occurrences[k] if k < len(occurrences) else occurrences[0]


class _SentenceFinder:
    """The source sentences most like each copy sentence, without comparing every pair.

    Comparing every copy sentence with every source sentence at once costs
    memory and time in the product of their numbers: gigabytes for two texts
    of a few megabytes. A source of at most ``pairing_candidates`` distinct
    sentences (any article) is still compared whole, one copy sentence at a
    time. In a longer one, each copy sentence is compared with the source
    sentences that share its rarest words, about ``pairing_candidates`` of
    them: a sentence sharing no word with it has an LCS similarity of 0, and
    a few rare words (a name, a number) are enough to find the right one.
    """

    def __init__(self, distinct: Sequence[str], settings: CheckSettings) -> None:
        self._distinct = distinct
        self._limit = settings.pairing_candidates
        self._compare_all = len(distinct) <= self._limit
        self._strings = np.array(distinct, dtype=object)
        containing: dict[str, list[int]] = {}
        if not self._compare_all:
            for u, string in enumerate(distinct):
                for code in set(string):
                    containing.setdefault(code, []).append(u)
        self._containing = {code: np.array(found) for code, found in containing.items()}

    def rank(self, copy_strings: Sequence[str]) -> list[list[tuple[float, int]]]:
        """For each copy string, (LCS similarity, distinct source index) of its three likeliest
        sources, best first; on a tie the later source sentence first."""
        if not self._compare_all:
            return [self._rank_sharing(string) for string in copy_strings]
        if not copy_strings:
            return []
        # Every pair in one call: a call per copy sentence cost more than its comparisons.
        scores = cdist(copy_strings, self._distinct, scorer=Indel.normalized_similarity)
        # Sorting the columns reversed, stably, puts the later of tied sentences first.
        last = len(self._distinct) - 1
        best = last - np.argsort(-scores[:, ::-1], axis=1, kind="stable")[:, :3]
        top = np.take_along_axis(scores, best, axis=1)
        return [
            [(score, u) for score, u in zip(row, found, strict=True) if score > 0.0]
            for row, found in zip(top.tolist(), best.tolist(), strict=True)
        ]

    def _rank_sharing(self, string: str) -> list[tuple[float, int]]:
        """:meth:`rank` of one string, among the source sentences that share its rarest words."""
        candidates = self._sharing(string)
        if candidates is None or not len(candidates):
            return []
        choices = self._strings[candidates].tolist()
        scores = cdist([string], choices, scorer=Indel.normalized_similarity)[0]
        best = np.lexsort((-candidates, -scores))[:3]
        return [(float(scores[k]), int(candidates[k])) for k in best if scores[k] > 0.0]

    def _sharing(self, string: str) -> npt.NDArray[np.int_] | None:
        """The source sentences that share the string's rarest codes, at most about the limit."""
        lists = sorted(
            # In the order the codes first appear, so that ties fall the same way whatever
            # characters the code table gave the words.
            (
                found
                for code in dict.fromkeys(string)
                if (found := self._containing.get(code)) is not None
            ),
            key=len,
        )
        if not lists:
            return None
        chosen, size = [lists[0][: self._limit]], min(len(lists[0]), self._limit)
        for found in lists[1:]:
            size += len(found)
            if size > self._limit:
                break
            chosen.append(found)
        return np.unique(np.concatenate(chosen))


def _distinct_words(text: Text, strings: Sequence[str]) -> int:
    """Words of a text, each repeated sentence counted once."""
    seen: set[str] = set()
    words = 0
    for sentence, string in zip(text.sentences, strings, strict=True):
        if string not in seen:
            seen.add(string)
            words += sentence.end - sentence.first
    return words


def _median_length(sentences: Sequence[Sentence]) -> int:
    lengths = sorted(s.end - s.first for s in sentences)
    return lengths[len(lengths) // 2]


def _copy_units(
    copy: Text, source: Text, codes: _Codebook, settings: CheckSettings
) -> list[Sentence]:
    """The copy's sentences; in a copy that lost its sentence ends, the long ones are cut
    where the source's sentences start.

    A copy lost its sentence ends when its sentences are, as a rule, much
    longer than the source's: a retelling writes sentences of its own
    lengths, but not twice as long throughout. And when it is mostly the
    source's words in the source's order: a text of one's own, written in
    longer sentences, with a passage of the source pasted in, is no such copy.
    """
    if not copy.sentences or not source.sentences:
        return copy.sentences
    source_median = _median_length(source.sentences)
    too_long = settings.long_sentence * source_median
    if _median_length(copy.sentences) < too_long:
        return copy.sentences
    if len(copy.tokens) * len(source.tokens) > settings.projection_cells:
        return copy.sentences
    opcodes = Levenshtein.opcodes(codes.copy_string, codes.source_string)
    kept = sum(op.src_end - op.src_start for op in opcodes if op.tag == "equal")
    if kept < len(copy.tokens) / 2:
        # Cut where the source's sentences start only a copy that is mostly the source's
        # words in its order: elsewhere (a passage lifted into a text of one's own) those
        # starts would be projected through words that match by chance.
        return copy.sentences
    # Where each source word's counterpart sits in the copy.
    counterpart = [0] * (len(source.tokens) + 1)
    for op in opcodes:
        for b in range(op.dest_start, op.dest_end):
            offset = min(b - op.dest_start, max(op.src_end - op.src_start - 1, 0))
            counterpart[b] = op.src_start + offset
    cuts = sorted({counterpart[s.first] for s in source.sentences[1:]})
    units: list[Sentence] = []
    for sentence in copy.sentences:
        if sentence.end - sentence.first <= too_long:
            units.append(sentence)
            continue
        first = sentence.first
        for cut in cuts[bisect.bisect_right(cuts, first) :]:
            if cut >= sentence.end - 2:
                break
            if cut - first >= 3:
                units.append(Sentence(first, cut))
                first = cut
        units.append(Sentence(first, sentence.end))
    return units


@dataclass(frozen=True, slots=True)
class _WordEdit:
    type: EditType
    copy_first: int
    copy_end: int
    source_first: int
    source_end: int


_NON_DIGIT_RE = re.compile(r"\D")


def _match_key(token: Token) -> str:
    """What two words must share to be the same word: a number's digits are enough.

    A copy stripped of punctuation writes "4.25%" as "425".
    """
    if token.kind == "number":
        return _NON_DIGIT_RE.sub("", token.key) or token.key
    return token.key


class _CodeTable:
    """One character per distinct word key, shared by every alignment in a process.

    Shared, so that a text is encoded once however many texts it is aligned
    with: a suspect against each of its candidates, a cached source against
    every suspect that finds it. When the table fills up it starts afresh,
    and texts encoded before are encoded again when next aligned.
    """

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._codes: dict[str, str] = {}
        self._generation = 0
        self.lock = threading.Lock()
        """Held while a pair of texts is encoded: both must be encoded in one generation."""

    def make_room(self, words: int) -> None:
        if len(self._codes) + words > self._limit:
            self._codes.clear()
            self._generation += 1

    def encode(self, text: Text) -> list[str]:
        """The text's tokens as characters (a list to share: copy before changing it)."""
        if text._codes is not None and text._codes[0] == self._generation:
            return text._codes[1]
        keys = text.match_keys
        known = list(map(self._codes.get, keys))
        codes = (
            [code or self._new_code(key) for code, key in zip(known, keys, strict=True)]
            if None in known
            else cast(list[str], known)
        )
        text._codes = (self._generation, codes)
        return codes

    def get(self, key: str) -> str | None:
        return self._codes.get(key)

    def _new_code(self, key: str) -> str:
        code = self._codes.get(key)  # new to the table, but maybe not to this text
        if code is None:
            # Skip the surrogate range, which is not valid in a str for rapidfuzz.
            n = 0x100 + len(self._codes)
            code = self._codes[key] = chr(n if n < 0xD800 else n + 0x800)
        return code


_CODE_TABLE = _CodeTable(limit=0xD800 - 0x100)
"""Words a process remembers codes for: as many as there are characters below the
surrogates, so that encoded texts stay two bytes a character (a pair of texts with more
distinct words still gets codes, from the characters above)."""


class _Codebook:
    """A copy's and a source's words as characters, so rapidfuzz can align words as letters."""

    def __init__(self, copy: Text, source: Text) -> None:
        table = _CODE_TABLE
        with table.lock:
            table.make_room(len(copy.tokens) + len(source.tokens))
            self._copy = list(table.encode(copy))
            self._source = table.encode(source)
            self._recover_lost_letters(copy, source, table)

    def _recover_lost_letters(self, copy: Text, source: Text, table: _CodeTable) -> None:
        """Give a word that lost letters in encoding ("Grard") its source word's code ("Gérard")."""
        source_codes = set(self._source)
        absent = set(self._copy) - source_codes
        if not absent:
            return
        # A copy word absent from the source, keyed as a source word would be after losing
        # its non-ASCII letters: every occurrence takes that source word's code.
        recovered: dict[str, str] = {}
        for i in source.non_ascii:
            token = source.tokens[i]
            code = table.get(lossy_key(source.text[token.start : token.end]))
            if code is not None and code in absent:
                recovered[code] = self._source[i]
        if recovered:
            self._copy = [recovered.get(code, code) for code in self._copy]
        for index in copy.non_ascii:
            # The other way round: the source is the one that lost letters.
            if self._copy[index] in absent and self._copy[index] not in recovered:
                token = copy.tokens[index]
                found = table.get(lossy_key(copy.text[token.start : token.end]))
                if found is not None and found in source_codes:
                    self._copy[index] = found

    @property
    def copy_string(self) -> str:
        return "".join(self._copy)

    @property
    def source_string(self) -> str:
        return "".join(self._source)

    def encode_copy(self, sentence: Sentence) -> str:
        return "".join(self._copy[sentence.first : sentence.end])

    def encode_source(self, sentence: Sentence) -> str:
        return "".join(self._source[sentence.first : sentence.end])


class _Labeller:
    """Word-level edits between paired sentences, every replacement labelled with the lexicon."""

    def __init__(
        self, copy: Text, source: Text, lexicon: RelationFinder, settings: CheckSettings
    ) -> None:
        self.copy = copy
        self.source = source
        self.lexicon = lexicon
        self.phrase_max = settings.phrase_max
        self.anchor_search = settings.anchor_search

    def align_sentences(
        self,
        copy_sentence: Sentence,
        source_sentence: Sentence,
        copy_string: str,
        source_string: str,
    ) -> list[_WordEdit]:
        """Word edits between two sentences, replacements labelled."""
        edits: list[_WordEdit] = []
        c0, s0 = copy_sentence.first, source_sentence.first
        opcodes = Levenshtein.opcodes(copy_string, source_string)
        # Merge neighbouring non-equal opcodes: "showed" -> "has presented" comes
        # out of Levenshtein as a replace plus an insert, but is one phrase swap.
        blocks: list[tuple[str, int, int, int, int]] = []
        for op in opcodes:
            tag, a1, a2, b1, b2 = op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end
            if blocks and tag != "equal" and blocks[-1][0] != "equal":
                _, pa1, _pa2, pb1, _pb2 = blocks[-1]
                blocks[-1] = ("change", pa1, a2, pb1, b2)
            else:
                blocks.append(("equal" if tag == "equal" else "change", a1, a2, b1, b2))
        for tag, a1, a2, b1, b2 in blocks:
            a1, a2, b1, b2 = a1 + c0, a2 + c0, b1 + s0, b2 + s0
            if tag == "equal":
                edits.append(_WordEdit("verbatim", a1, a2, b1, b2))
            else:
                edits.extend(self.label_change(a1, a2, b1, b2))
        return edits

    def label_change(self, a1: int, a2: int, b1: int, b2: int) -> list[_WordEdit]:
        """Label one stretch where copy and source differ.

        Same-length stretches are word-for-word swaps. Uneven short ones are phrase
        swaps ("has presented" for "showed") and count as one edit; when the whole
        phrase is not a known swap, a related word pair inside it anchors a split
        ("the Russian president | presented" for "Putin | showed").
        """
        copy, source, lexicon = self.copy, self.source, self.lexicon
        if a1 == a2 and b1 == b2:
            return []
        if a1 == a2:
            return [_WordEdit("deletion", a1, a2, b1, b2)]
        if b1 == b2:
            return [_WordEdit("insertion", a1, a2, b1, b2)]
        m, n = a2 - a1, b2 - b1
        if m == n:
            return [self.label_pair(a1 + k, b1 + k) for k in range(m)]
        short = m <= self.phrase_max and n <= self.phrase_max
        # One content word per side plus function words ("has presented" for
        # "showed") is a phrase swap; more is several swaps side by side.
        if short and _content_words(copy, a1, a2) <= 1 and _content_words(source, b1, b2) <= 1:
            relation = lexicon.relation(_words(copy, a1, a2), _words(source, b1, b2))
            if relation is not None:
                return [_WordEdit(_edit_type(relation), a1, a2, b1, b2)]
        for i in range(a1, min(a2, a1 + self.anchor_search)):
            if copy.tokens[i].kind != "word":
                continue
            for j in range(b1, min(b2, b1 + self.anchor_search)):
                # Only where what is left on either side pairs up with something
                # on the other: "took place" -> "happened" is one phrase, not a
                # dropped "took" plus "place" -> "happened".
                if (i == a1) != (j == b1) or (i + 1 == a2) != (j + 1 == b2):
                    continue
                relation = lexicon.relation(copy.tokens[i].key, source.tokens[j].key)
                if source.tokens[j].kind == "word" and relation is not None:
                    return [
                        *self.label_change(a1, i, b1, j),
                        _WordEdit(_edit_type(relation), i, i + 1, j, j + 1),
                        *self.label_change(i + 1, a2, j + 1, b2),
                    ]
        if short:
            relation = lexicon.relation(_words(copy, a1, a2), _words(source, b1, b2))
            return [_WordEdit(_edit_type(relation), a1, a2, b1, b2)]
        # A long uneven stretch: pair what lines up, the rest is inserted or dropped.
        k = min(m, n)
        edits = [self.label_pair(a1 + i, b1 + i) for i in range(k)]
        if m > k:
            edits.append(_WordEdit("insertion", a1 + k, a2, b2, b2))
        if n > k:
            edits.append(_WordEdit("deletion", a2, a2, b1 + k, b2))
        return edits

    def label_pair(self, a: int, b: int) -> _WordEdit:
        relation = self.lexicon.relation(self.copy.tokens[a].key, self.source.tokens[b].key)
        return _WordEdit(_edit_type(relation), a, a + 1, b, b + 1)


def _words(text: Text, first: int, end: int) -> str:
    return " ".join(t.key for t in text.tokens[first:end])


def _content_words(text: Text, first: int, end: int) -> int:
    return sum(1 for t in text.tokens[first:end] if t.kind != "function")


def _edit_type(relation: str | None) -> EditType:
    if relation == "synonym":
        return "synonym"
    if relation == "inflection":
        return "inflection"
    return "other"


_DERIVED: frozenset[str] = frozenset({"verbatim", "synonym", "inflection", "moved", "quote"})


def _derived_share(edits: Sequence[_WordEdit], sentence: Sentence) -> float:
    words = sentence.end - sentence.first
    derived = sum(e.copy_end - e.copy_first for e in edits if e.type in _DERIVED)
    return derived / words if words else 0.0


def _names_conflict(copy: Text, source: Text, edits: Sequence[_WordEdit]) -> bool:
    """Whether two sentences disagree on who, where or how much.

    Spinners leave names and numbers alone, so a sentence whose names or
    numbers were replaced by others is another story told with the same
    stock phrasing ("A study by X showed that ..."), not a copy.
    """
    entities = ("name", "number")
    conflicts = sum(
        1
        for e in edits
        if e.type == "other"
        and e.copy_end - e.copy_first == 1
        and e.source_end - e.source_first == 1
        and copy.tokens[e.copy_first].kind in entities
        and source.tokens[e.source_first].kind in entities
    )
    if not conflicts:
        return False
    agreements = sum(
        1
        for e in edits
        if e.type == "verbatim"
        for k in range(e.copy_first, e.copy_end)
        if copy.tokens[k].kind in entities
    )
    return 2 * conflicts >= agreements


def _in_order(source_indexes: Sequence[int]) -> set[int]:
    """Positions of the longest non-decreasing run of source sentence indexes."""

    tails: list[int] = []
    tail_pos: list[int] = []
    parent = [-1] * len(source_indexes)
    for position, value in enumerate(source_indexes):
        k = bisect.bisect_right(tails, value)
        if k == len(tails):
            tails.append(value)
            tail_pos.append(position)
        else:
            tails[k] = value
            tail_pos[k] = position
        parent[position] = tail_pos[k - 1] if k else -1
    keep: set[int] = set()
    position = tail_pos[-1] if tail_pos else -1
    while position >= 0:
        keep.add(position)
        position = parent[position]
    return keep


def _finish(
    result: Alignment,
    copy: Text,
    source: Text,
    units: Sequence[Sentence],
    source_strings: Sequence[str],
    pairs: list[tuple[int, int, list[_WordEdit]]],
    settings: CheckSettings,
) -> None:
    """Turn sentence pairs into the full edit list and the counts verdicts need."""
    in_order = _in_order([j for _, j, _ in pairs])
    word_edits: list[_WordEdit] = []
    for position, (i, j, edits) in enumerate(pairs):
        moved = position not in in_order
        labelled: list[_WordEdit] = []
        for edit in edits:
            if edit.type == "verbatim":
                labelled += _split_quotes(copy, source, edit, "moved" if moved else "verbatim")
            else:
                labelled.append(edit)
        word_edits += labelled
        result.pairs.append(_pair(units[i], i, j, labelled, settings))
    # A source sentence repeated elsewhere counts as copied when any copy of it is.
    copied_strings = {source_strings[j] for _, j, _ in pairs}
    # An unpaired copy sentence sits in the source after the furthest source
    # sentence paired before it; a dropped source sentence, the other way round.
    source_after = _furthest_before(len(units), [(i, j) for i, j, _ in pairs])
    copy_after = _furthest_before(len(source.sentences), [(j, i) for i, j, _ in pairs])
    paired_copy = {i for i, _, _ in pairs}
    for i, sentence in enumerate(units):
        if i in paired_copy:
            continue
        j = source_after[i]
        anchor = source.sentences[j].end if j >= 0 else 0
        first = sentence.first
        if i > 0 and i - 1 not in paired_copy:
            # One insertion for a run of the copy's own sentences: a long text with a
            # short copied passage would otherwise carry an edit for every sentence.
            first = word_edits.pop().copy_first
        word_edits.append(_WordEdit("insertion", first, sentence.end, anchor, anchor))
    for j, sentence in enumerate(source.sentences):
        if source_strings[j] not in copied_strings:
            i = copy_after[j]
            anchor = units[i].end if i >= 0 else 0
            word_edits.append(_WordEdit("deletion", anchor, anchor, sentence.first, sentence.end))
    word_edits.sort(key=lambda e: (e.copy_first, e.copy_end > e.copy_first, e.source_first))

    reused_source: set[int] = set()
    for edit in word_edits:
        copy_range = range(edit.copy_first, edit.copy_end)
        if edit.type in _DERIVED or (edit.type == "other" and edit.source_end > edit.source_first):
            result.derived_copy_words += len(copy_range)
            if edit.type != "quote":
                result.own_copied_words += len(copy_range)
            reused_source.update(range(edit.source_first, edit.source_end))
        content = copy.content_words(edit.copy_first, edit.copy_end)
        if edit.type in ("verbatim", "moved", "quote"):
            result.aligned_content_words += content
        elif (
            edit.type in ("synonym", "inflection", "other") and edit.source_end > edit.source_first
        ):
            swapped = max(content, min(1, source.content_words(edit.source_first, edit.source_end)))
            result.aligned_content_words += swapped
            result.swapped_content_words += swapped
        result.edits.append(_to_edit(edit, copy, source))
    result.reused_source_words = _distinct_reused(source, source_strings, reused_source)
    result.passages = _passages(copy, source, units, result.pairs)
    result.sentence_pairs = [_with_offsets(copy, source, units, pair) for pair in result.pairs]


def _split_quotes(copy: Text, source: Text, edit: _WordEdit, kind: EditType) -> list[_WordEdit]:
    """A run of the same words, cut where it enters or leaves a quote both texts make."""
    pieces: list[_WordEdit] = []
    start = edit.copy_first
    shift = edit.source_first - edit.copy_first
    copy_quoted, source_quoted = copy.quoted, source.quoted
    for k in range(edit.copy_first, edit.copy_end + 1):
        quoted = k < edit.copy_end and copy_quoted[k] and source_quoted[k + shift]
        if k == edit.copy_first:
            state = quoted
        elif k == edit.copy_end or quoted != state:
            piece_kind: EditType = "quote" if state else kind
            pieces.append(_WordEdit(piece_kind, start, k, start + shift, k + shift))
            start, state = k, quoted
    return pieces


def _pair(
    unit: Sentence, i: int, j: int, edits: Sequence[_WordEdit], settings: CheckSettings
) -> UnitPair:
    words = unit.end - unit.first
    derived = sum(e.copy_end - e.copy_first for e in edits if e.type in _DERIVED)
    quoted = sum(e.copy_end - e.copy_first for e in edits if e.type == "quote")
    own_words, own_derived = words - quoted, derived - quoted
    copied_own_words = (
        own_words >= settings.own_words and own_derived >= settings.copied_sentence * own_words
    )
    return UnitPair(i, j, derived / max(words, 1), own_words, own_derived, copied_own_words)


def _with_offsets(
    copy: Text, source: Text, units: Sequence[Sentence], pair: UnitPair
) -> SentencePair:
    copy_start, copy_end = sentence_extent(copy.text, copy.tokens, units, pair.copy_sentence)
    source_start, source_end = sentence_extent(
        source.text, source.tokens, source.sentences, pair.source_sentence
    )
    return SentencePair(copy_start, copy_end, source_start, source_end, pair.derived)


def _distinct_reused(source: Text, source_strings: Sequence[str], reused: set[int]) -> int:
    """Reused source words, a word of a repeated sentence counted once for all its copies."""
    first_of: dict[str, Sentence] = {}
    canonical: set[int] = set()
    for sentence, string in zip(source.sentences, source_strings, strict=True):
        first = first_of.setdefault(string, sentence)
        for k in range(sentence.first, sentence.end):
            if k in reused:
                canonical.add(first.first + k - sentence.first)
    return len(canonical)


def _passages(
    copy: Text, source: Text, units: Sequence[Sentence], pairs: Sequence[UnitPair]
) -> list[Passage]:
    """Runs of pairs that follow each other in both texts, as passages of the copier's own words.

    A gap of one sentence on either side is allowed (a sentence dropped or
    inserted), and so are two copy sentences made of one source sentence (a
    sentence split in two). A run may go backwards through the source: a copy
    that reversed the order of a passage still copied it. Sentences that only
    share a quote keep a run going but do not count in it.
    """
    runs: list[list[UnitPair]] = []
    direction = 0
    for pair in pairs:
        if runs:
            last = runs[-1][-1]
            step = pair.source_sentence - last.source_sentence
            step_direction = (step > 0) - (step < 0)
            if (
                pair.copy_sentence - last.copy_sentence <= 2
                and abs(step) <= 2
                and (step == 0 or direction in (0, step_direction))
            ):
                runs[-1].append(pair)
                direction = direction or step_direction
                continue
        runs.append([pair])
        direction = 0
    passages: list[Passage] = []
    for run in runs:
        own = [p for p in run if p.copied_own_words]
        if not own:
            continue
        first_unit, last_unit = units[run[0].copy_sentence], units[run[-1].copy_sentence]
        source_sentences = [source.sentences[p.source_sentence] for p in run]
        passages.append(
            Passage(
                copy_start=copy.tokens[first_unit.first].start,
                copy_end=copy.tokens[last_unit.end - 1].end,
                source_start=source.tokens[min(s.first for s in source_sentences)].start,
                source_end=source.tokens[max(s.end for s in source_sentences) - 1].end,
                sentences=len(own),
                words=sum(p.own_words for p in own),
            )
        )
    passages.sort(key=lambda p: (-p.sentences, -p.words, p.copy_start))
    return passages


def _span(edit: _WordEdit) -> tuple[int, int, int, int]:
    return edit.copy_first, edit.copy_end, edit.source_first, edit.source_end


def _furthest_before(length: int, links: Sequence[tuple[int, int]]) -> list[int]:
    """For each position ``0 <= p < length`` of one text, the furthest position of the other
    text linked to a position before ``p`` (-1 when none): one pass, not one per position."""
    furthest_at = [-1] * (length + 1)
    for here, there in links:
        furthest_at[here + 1] = max(furthest_at[here + 1], there)
    for p in range(1, length + 1):
        furthest_at[p] = max(furthest_at[p], furthest_at[p - 1])
    return furthest_at[:length]


def _char_span(text: Text, first: int, end: int) -> tuple[int, int]:
    if first < end:
        return text.tokens[first].start, text.tokens[end - 1].end
    at = text.tokens[first - 1].end if first > 0 and text.tokens else 0
    return at, at


def _to_edit(edit: _WordEdit, copy: Text, source: Text) -> Edit:
    cs, ce = _char_span(copy, edit.copy_first, edit.copy_end)
    ss, se = _char_span(source, edit.source_first, edit.source_end)
    return Edit(
        type=edit.type,
        copy_start=cs,
        copy_end=ce,
        source_start=ss,
        source_end=se,
        copy_text=copy.text[cs:ce],
        source_text=source.text[ss:se],
        copy_words=edit.copy_end - edit.copy_first,
        source_words=edit.source_end - edit.source_first,
    )

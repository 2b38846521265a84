"""Alignment: which words of the copy came from which words of the source.

Spinners work sentence by sentence, so alignment does too:

1. every copy sentence is paired with the source sentence it most resembles
   (token-level LCS over normalized keys, computed by rapidfuzz);
2. within a pair, a word-level edit script (Levenshtein opcodes) lines the
   words up, and every replacement is labelled with the lexicon: ``synonym``,
   ``inflection`` or ``other``;
3. a pair only counts as *copied* when most of the copy sentence is derived
   from the source (verbatim, synonym or inflection). An independent retelling
   of the same story shares names and function words, but its sentences do not
   pass this test, which is what later tells "spun" from "independent";
4. copied sentences that appear out of the source's order are ``moved``
   (everything outside the longest in-order chain); copy sentences with no
   source are ``insertion``; source sentences nobody copied are ``deletion``.

Every :class:`~unspin.model.Edit` carries character offsets into both texts
as the user gave them.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from rapidfuzz.distance import Indel, Levenshtein
from rapidfuzz.process import cdist

from unspin.model import Edit, EditType, Token
from unspin.normalize import Sentence, lossy_key, sentences, tokenize

COPIED_SENTENCE = 0.6
"""Least share of a copy sentence's words that must derive from its source sentence."""
MIN_PASSAGE = 3
"""Sentences a copied passage has, at least (or all of them, in a shorter copy)."""
_PAIRING_FLOOR = 0.3
# On spun copies (50% swaps) 98% of copied sentences reach this LCS
# similarity with their source sentence; 12% of a same-story retelling's do.
_LIKELY_COPIED = 0.45
_PHRASE_MAX = 4
_ANCHOR_SEARCH = 6


class RelationFinder(Protocol):
    """What the aligner needs from a lexicon (see :mod:`unspin.lexicon`)."""

    def relation(self, copy_word: str, source_word: str) -> str | None: ...


@dataclass(slots=True)
class Text:
    """A text with its tokens and sentences, prepared once for alignment."""

    text: str
    tokens: list[Token]
    sentences: list[Sentence]

    @classmethod
    def of(cls, text: str, tokens: list[Token] | None = None) -> Text:
        tokens = tokenize(text) if tokens is None else tokens
        return cls(text, tokens, sentences(text, tokens))


@dataclass(frozen=True, slots=True)
class SentencePair:
    copy_sentence: int
    source_sentence: int
    derived: float
    """Share of the copy sentence's words that derive from the source sentence."""


@dataclass(slots=True)
class Alignment:
    """The word-by-word alignment of a copy with one source.

    When the two texts cannot share a copied passage (too few look-alike
    sentences), alignment stops early: no pairs and no edits.
    """

    edits: list[Edit]
    pairs: list[SentencePair]
    copy_words: int
    source_words: int
    copy_sentences: int
    derived_copy_words: int = 0
    reused_source_words: int = 0
    aligned_content_words: int = 0
    swapped_content_words: int = 0

    @property
    def longest_passage(self) -> int:
        """Sentences in the longest run copied in order (a gap of one sentence allowed).

        Copies reuse passages; an independent retelling that happens to share
        a stock sentence or two has them scattered. On the benchmark's
        tuning data, copies had runs of 4 or more, retellings of 2 at most.
        """
        best = run = 1 if self.pairs else 0
        for a, b in itertools.pairwise(self.pairs):
            steps_copy = b.copy_sentence - a.copy_sentence
            steps_source = b.source_sentence - a.source_sentence
            run = run + 1 if steps_copy <= 2 and 0 < steps_source <= 2 else 1
            best = max(best, run)
        return best


def align(copy: Text, source: Text, lexicon: RelationFinder) -> Alignment:
    """Align a copy with a source, labelling every edit."""
    codes = _Codebook(copy, source)
    copy_strings = [codes.encode_copy(s) for s in copy.sentences]
    source_strings = [codes.encode_source(s) for s in source.sentences]
    result = Alignment([], [], len(copy.tokens), len(source.tokens), len(copy.sentences))
    if not copy_strings or not source_strings:
        return result

    similarity = cdist(copy_strings, source_strings, scorer=Indel.normalized_similarity)
    closest = similarity.max(axis=1)
    if (closest >= _LIKELY_COPIED).sum() < min(MIN_PASSAGE, len(copy_strings)):
        # Too few look-alike sentences to hold a copied passage: not a copy,
        # and not worth a word-level alignment.
        return result
    pairs: list[tuple[int, int, list[_WordEdit]]] = []
    for i, row in enumerate(similarity):
        best: tuple[float, int, list[_WordEdit]] | None = None
        # The LCS ranking is blind to synonyms: re-rank its top few by how
        # much of the copy sentence actually derives from each.
        for j in row.argsort()[::-1][:3]:
            if row[j] < max(_PAIRING_FLOOR, closest[i] - 0.15):
                break
            words = _align_sentences(
                copy,
                source,
                copy.sentences[i],
                source.sentences[int(j)],
                copy_strings[i],
                source_strings[int(j)],
                lexicon,
            )
            derived = _derived_share(words, copy.sentences[i])
            if _names_conflict(copy, source, words):
                continue
            if best is None or derived > best[0]:
                best = (derived, int(j), words)
        if best is not None and best[0] >= COPIED_SENTENCE:
            pairs.append((i, best[1], best[2]))
            result.pairs.append(SentencePair(i, best[1], best[0]))
    _finish(result, copy, source, pairs)
    return result


@dataclass(frozen=True, slots=True)
class _WordEdit:
    type: EditType
    copy_first: int
    copy_end: int
    source_first: int
    source_end: int


class _Codebook:
    """Maps every distinct key to one character, so rapidfuzz can align words as letters."""

    def __init__(self, copy: Text, source: Text) -> None:
        self._codes: dict[str, str] = {}
        self._copy = [self._code(t.key) for t in copy.tokens]
        self._source = [self._code(t.key) for t in source.tokens]
        self._recover_lost_letters(copy, source)

    def _recover_lost_letters(self, copy: Text, source: Text) -> None:
        """Give a word that lost letters in encoding ("Grard") its source word's code ("Gérard")."""
        source_codes = set(self._source)
        lossy_source = {
            lossy_key(source.text[t.start : t.end]): code
            for t, code in zip(source.tokens, self._source, strict=True)
            if not source.text[t.start : t.end].isascii()
        }
        for index, token in enumerate(copy.tokens):
            if self._copy[index] in source_codes:
                continue
            raw = copy.text[token.start : token.end]
            code = lossy_source.get(token.key)
            if code is None and not raw.isascii():
                # The other way round: the source is the one that lost letters.
                code = self._codes.get(lossy_key(raw))
            if code is not None and code in source_codes:
                self._copy[index] = code

    def _code(self, key: str) -> str:
        code = self._codes.get(key)
        if code is None:
            # Skip the surrogate range, which is not valid in a str for rapidfuzz.
            n = 0x100 + len(self._codes)
            code = chr(n if n < 0xD800 else n + 0x800)
            self._codes[key] = code
        return code

    def encode_copy(self, sentence: Sentence) -> str:
        return "".join(self._copy[sentence.first : sentence.end])

    def encode_source(self, sentence: Sentence) -> str:
        return "".join(self._source[sentence.first : sentence.end])


def _align_sentences(
    copy: Text,
    source: Text,
    copy_sentence: Sentence,
    source_sentence: Sentence,
    copy_string: str,
    source_string: str,
    lexicon: RelationFinder,
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
            edits.extend(_label_change(copy, source, a1, a2, b1, b2, lexicon))
    return edits


def _words(text: Text, first: int, end: int) -> str:
    return " ".join(t.key for t in text.tokens[first:end])


def _label_change(
    copy: Text,
    source: Text,
    a1: int,
    a2: int,
    b1: int,
    b2: int,
    lexicon: RelationFinder,
) -> list[_WordEdit]:
    """Label one stretch where copy and source differ.

    Same-length stretches are word-for-word swaps. Uneven short ones are phrase
    swaps ("has presented" for "showed") and count as one edit; when the whole
    phrase is not a known swap, a related word pair inside it anchors a split
    ("the Russian president | presented" for "Putin | showed").
    """
    if a1 == a2 and b1 == b2:
        return []
    if a1 == a2:
        return [_WordEdit("deletion", a1, a2, b1, b2)]
    if b1 == b2:
        return [_WordEdit("insertion", a1, a2, b1, b2)]
    m, n = a2 - a1, b2 - b1
    if m == n:
        return [_label_pair(copy, source, a1 + k, b1 + k, lexicon) for k in range(m)]
    short = m <= _PHRASE_MAX and n <= _PHRASE_MAX
    # One content word per side plus function words ("has presented" for
    # "showed") is a phrase swap; more is several swaps side by side.
    if short and _content_words(copy, a1, a2) <= 1 and _content_words(source, b1, b2) <= 1:
        relation = lexicon.relation(_words(copy, a1, a2), _words(source, b1, b2))
        if relation is not None:
            return [_WordEdit(_edit_type(relation), a1, a2, b1, b2)]
    for i in range(a1, min(a2, a1 + _ANCHOR_SEARCH)):
        if copy.tokens[i].kind != "word":
            continue
        for j in range(b1, min(b2, b1 + _ANCHOR_SEARCH)):
            # Only where what is left on either side pairs up with something
            # on the other: "took place" -> "happened" is one phrase, not a
            # dropped "took" plus "place" -> "happened".
            if (i == a1) != (j == b1) or (i + 1 == a2) != (j + 1 == b2):
                continue
            relation = lexicon.relation(copy.tokens[i].key, source.tokens[j].key)
            if source.tokens[j].kind == "word" and relation is not None:
                return [
                    *_label_change(copy, source, a1, i, b1, j, lexicon),
                    _WordEdit(_edit_type(relation), i, i + 1, j, j + 1),
                    *_label_change(copy, source, i + 1, a2, j + 1, b2, lexicon),
                ]
    if short:
        relation = lexicon.relation(_words(copy, a1, a2), _words(source, b1, b2))
        return [_WordEdit(_edit_type(relation), a1, a2, b1, b2)]
    # A long uneven stretch: pair what lines up, the rest is inserted or dropped.
    k = min(m, n)
    edits = [_label_pair(copy, source, a1 + i, b1 + i, lexicon) for i in range(k)]
    if m > k:
        edits.append(_WordEdit("insertion", a1 + k, a2, b2, b2))
    if n > k:
        edits.append(_WordEdit("deletion", a2, a2, b1 + k, b2))
    return edits


def _content_words(text: Text, first: int, end: int) -> int:
    return sum(1 for t in text.tokens[first:end] if t.kind != "function")


def _label_pair(copy: Text, source: Text, a: int, b: int, lexicon: RelationFinder) -> _WordEdit:
    relation = lexicon.relation(copy.tokens[a].key, source.tokens[b].key)
    return _WordEdit(_edit_type(relation), a, a + 1, b, b + 1)


def _edit_type(relation: str | None) -> EditType:
    if relation == "synonym":
        return "synonym"
    if relation == "inflection":
        return "inflection"
    return "other"


_DERIVED: frozenset[str] = frozenset({"verbatim", "synonym", "inflection", "moved"})


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
    pairs: list[tuple[int, int, list[_WordEdit]]],
) -> None:
    """Turn sentence pairs into the full edit list and the counts verdicts need."""
    in_order = _in_order([j for _, j, _ in pairs])
    word_edits: list[_WordEdit] = []
    paired_copy = {i for i, _, _ in pairs}
    paired_source = {j for _, j, _ in pairs}
    for position, (_i, _j, edits) in enumerate(pairs):
        moved = position not in in_order
        for edit in edits:
            word_edits.append(
                _WordEdit("moved", *_span(edit)) if moved and edit.type == "verbatim" else edit
            )
    for i, sentence in enumerate(copy.sentences):
        if i not in paired_copy:
            anchor = _source_anchor(source, pairs, i)
            word_edits.append(_WordEdit("insertion", sentence.first, sentence.end, anchor, anchor))
    for j, sentence in enumerate(source.sentences):
        if j not in paired_source:
            anchor = _copy_anchor(copy, pairs, j)
            word_edits.append(_WordEdit("deletion", anchor, anchor, sentence.first, sentence.end))
    word_edits.sort(key=lambda e: (e.copy_first, e.copy_end > e.copy_first, e.source_first))

    reused_source: set[int] = set()
    for edit in word_edits:
        copy_range = range(edit.copy_first, edit.copy_end)
        if edit.type in _DERIVED or (edit.type == "other" and edit.source_end > edit.source_first):
            result.derived_copy_words += len(copy_range)
            reused_source.update(range(edit.source_first, edit.source_end))
        content = sum(1 for k in copy_range if copy.tokens[k].kind == "word")
        if edit.type in ("verbatim", "moved"):
            result.aligned_content_words += content
        elif (
            edit.type in ("synonym", "inflection", "other") and edit.source_end > edit.source_first
        ):
            swapped = max(
                content,
                1
                if any(
                    source.tokens[k].kind == "word"
                    for k in range(edit.source_first, edit.source_end)
                )
                else 0,
            )
            result.aligned_content_words += swapped
            result.swapped_content_words += swapped
        result.edits.append(_to_edit(edit, copy, source))
    result.reused_source_words = len(reused_source)


def _span(edit: _WordEdit) -> tuple[int, int, int, int]:
    return edit.copy_first, edit.copy_end, edit.source_first, edit.source_end


def _source_anchor(
    source: Text, pairs: list[tuple[int, int, list[_WordEdit]]], copy_index: int
) -> int:
    """Source token position where an unpaired copy sentence would sit."""
    before = [j for i, j, _ in pairs if i < copy_index]
    return source.sentences[max(before)].end if before else 0


def _copy_anchor(
    copy: Text, pairs: list[tuple[int, int, list[_WordEdit]]], source_index: int
) -> int:
    """Copy token position where a dropped source sentence would have been."""
    before = [i for i, j, _ in pairs if j < source_index]
    return copy.sentences[max(before)].end if before else 0


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

"""A small sentence splitter for picking contiguous passages of a text."""

from __future__ import annotations

import itertools
import re

from unspin.testdata.wordforms import wordset

# Lowercased words that end with a period without ending the sentence.
_ABBREVIATIONS = wordset(
    "mr mrs ms dr prof st jr sr gen col lt sgt capt cmdr rep sen gov pres rev "
    "inc ltd co corp bros dept est approx vs etc fig "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
# A run of terminal punctuation (plus closing quotes/brackets) before a space,
# or a line break.
_CANDIDATE_RE = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)|\n")
_WORD_BEFORE_DOT_RE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
_NEXT_CHAR_RE = re.compile(r"\s*(\S)")


def _is_boundary(text: str, cut: int, mark: str) -> bool:
    """Whether a sentence really ends at ``cut`` (just after ``mark``)."""
    following = _NEXT_CHAR_RE.match(text, cut)
    if following is None:
        return True
    nxt = following.group(1)
    # "'Are you sure?' she asked." goes on in lowercase; a new sentence does not.
    if nxt.islower():
        return False
    if mark == "\n" or mark[0] != "." or len(mark.rstrip("\"'”’)]")) > 1:
        return True
    dot_end = cut - len(mark) + 1
    before = _WORD_BEFORE_DOT_RE.search(text[max(0, dot_end - 40) : dot_end])
    if before is None:
        return True
    word = before.group(1)
    # Initials ("J. Smith"), dotted acronyms ("U.S."), titles ("Mr.").
    return not (len(word) == 1 or "." in word or word.lower() in _ABBREVIATIONS)


def _split_sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence, without surrounding whitespace.

    Handles abbreviations ("Mr.", "U.S."), initials, decimals ("3.5", never a
    candidate as no space follows the dot), closing quotes after the
    punctuation, and line breaks (headlines, paragraphs).
    """
    cuts = [0]
    for match in _CANDIDATE_RE.finditer(text):
        if _is_boundary(text, match.end(), match.group()):
            cuts.append(match.end())
    cuts.append(len(text))
    spans: list[tuple[int, int]] = []
    for start, end in itertools.pairwise(cuts):
        chunk = text[start:end]
        stripped = chunk.strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((start + lead, start + lead + len(stripped)))
    return spans

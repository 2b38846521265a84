"""Passages: the stretches of a text the detector judges on their own.

Real pages mix a spun article with clean sidebars, related links and comments;
averaged over the whole page, a spun passage drowns. So the detector also cuts
the text into passages of about a hundred words (paragraphs, joined while they
are short, a long one cut in pieces) and scores each: the text is ``spun`` when
a substantial passage is, and each word is judged against its own passage, not
the whole page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from unspin.detect.features import WordSlot

PASSAGE_WORDS = 45
"""Judged words a passage aims at: about a hundred words of news prose."""
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True, slots=True)
class Window:
    """One passage: its character span and its judged words (``slots[first:last]``)."""

    start: int
    end: int
    first: int
    last: int

    @property
    def slots(self) -> slice:
        return slice(self.first, self.last)

    @property
    def words(self) -> int:
        return self.last - self.first


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each paragraph: blocks between blank lines, or lines when
    the text has no blank line; white space trimmed."""
    separator = _BLANK_LINE if _BLANK_LINE.search(text) else re.compile(r"\n")
    bounds = []
    position = 0
    for piece in [*separator.split(text)]:
        stripped = piece.strip()
        if stripped:
            start = text.index(stripped, position)
            bounds.append((start, start + len(stripped)))
            position = start + len(stripped)
        else:
            position += len(piece)
    return bounds


def passage_windows(
    text: str, slots: Sequence[WordSlot], target: int = PASSAGE_WORDS
) -> list[Window]:
    """The passages of ``text``, in order, covering every slot once.

    Paragraphs join until a passage has ``target`` judged words; a paragraph of
    more than twice that is cut into pieces of about ``target``; a short tail
    joins the passage before it. A text of fewer than ``2 * target`` judged words
    is one passage.
    """
    if len(slots) < 2 * target:
        return [Window(0, len(text), 0, len(slots))] if slots else []
    pieces: list[Window] = []  # paragraphs, long ones cut
    position = 0
    for start, end in paragraph_bounds(text):
        first = position
        while position < len(slots) and slots[position].start < end:
            position += 1
        count = position - first
        if count == 0:
            continue
        cuts = max(1, round(count / target)) if count > 2 * target else 1
        edges = [first + count * k // cuts for k in range(cuts + 1)]
        for k in range(cuts):
            a, b = edges[k], edges[k + 1]
            piece_start = start if k == 0 else slots[a].start
            piece_end = end if k == cuts - 1 else slots[b - 1].end
            pieces.append(Window(piece_start, piece_end, a, b))
    windows: list[Window] = []
    for piece in pieces:
        if windows and windows[-1].words < target:
            last = windows[-1]
            windows[-1] = Window(last.start, piece.end, last.first, piece.last)
        else:
            windows.append(piece)
    if len(windows) > 1 and windows[-1].words < target // 2:
        tail = windows.pop()
        last = windows[-1]
        windows[-1] = Window(last.start, tail.end, last.first, tail.last)
    return windows

"""Disguises applied after spinning: look-alike letters and lost encodings.

Both rewrite single characters of a spun text; :func:`rewrite` carries the
spinner's ground truth over to the rewritten text.
"""

from __future__ import annotations

import bisect
import random
import re
import unicodedata
from dataclasses import replace

from unspin.synthetic.ground_truth import Swap

# An edit of the text: (start, end, replacement). Zero-width ones insert.
Edit = tuple[int, int, str]

# Latin letters and the Cyrillic/Greek letters that look the same.
HOMOGLYPHS: dict[str, str] = {
    "a": "\u0430",
    "c": "\u0441",
    "e": "\u0435",
    "i": "\u0456",
    "j": "\u0458",
    "o": "\u043e\u03bf",
    "p": "\u0440\u03c1",
    "s": "\u0455",
    "x": "\u0445",
    "y": "\u0443",
    "h": "\u04bb",
    "v": "\u03bd",
    "A": "\u0410\u0391",
    "B": "\u0412\u0392",
    "C": "\u0421",
    "E": "\u0415\u0395",
    "H": "\u041d\u0397",
    "I": "\u0406\u0399",
    "J": "\u0408",
    "K": "\u041a\u039a",
    "M": "\u041c\u039c",
    "N": "\u039d",
    "O": "\u041e\u039f",
    "P": "\u0420\u03a1",
    "S": "\u0405",
    "T": "\u0422\u03a4",
    "X": "\u0425\u03a7",
    "Y": "\u03a5",
    "Z": "\u0396",
}
INVISIBLE = ("\u200b", "\u200b", "\u200c", "\u2060")  # zero-width space most often

# ASCII stand-ins that a lossy pipeline writes for typographic punctuation.
_STRAIGHT = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",
    "\u2014": "--",
    "\u2026": "...",
    "\u00a0": " ",
}
_LETTER_LOSS = ("", "?", "\ufffd")
_WORD_RE = re.compile(r"[A-Za-z]+")


def rewrite(text: str, swaps: list[Swap], edits: list[Edit]) -> tuple[str, list[Swap]]:
    """Apply non-overlapping ``edits`` to ``text`` and move ``swaps`` along.

    A zero-width edit at a swap's boundary lands outside the swap: before it
    at its start, after it at its end. Edits inside a swap change its text.
    """
    edits = sorted(edits, key=lambda e: (e[0], e[1]))
    parts: list[str] = []
    ends: list[int] = []  # source end of each edit, ascending
    shift: list[int] = [0]  # total length change of the first k edits
    position = 0
    for start, end, new in edits:
        parts.append(text[position:start])
        parts.append(new)
        position = end
        ends.append(end)
        shift.append(shift[-1] + len(new) - (end - start))
    parts.append(text[position:])
    new_text = "".join(parts)

    zero_width_ends = [end for start, end, _ in edits if start == end]

    def at_start(p: int) -> int:
        return p + shift[bisect.bisect_right(ends, p)]

    def at_end(p: int) -> int:
        # Leave out insertions made exactly at p: they follow the span.
        count = bisect.bisect_right(ends, p)
        inserted_here = bisect.bisect_right(zero_width_ends, p) - bisect.bisect_left(
            zero_width_ends, p
        )
        return p + shift[count - inserted_here] if inserted_here else p + shift[count]

    moved: list[Swap] = []
    for swap in swaps:
        start = at_start(swap.start)
        end = start if swap.start == swap.end else at_end(swap.end)
        moved.append(replace(swap, start=start, end=end, text=new_text[start:end]))
    return new_text, moved


def homoglyph_edits(text: str, rng: random.Random) -> list[Edit]:
    """Disguise 5-15% of the words with look-alike letters, some with invisible characters."""
    words = [m for m in _WORD_RE.finditer(text) if any(c in HOMOGLYPHS for c in m.group())]
    count = max(1, round(rng.uniform(0.05, 0.15) * len(words))) if words else 0
    edits: list[Edit] = []
    for match in sorted(rng.sample(words, count), key=lambda m: m.start()):
        positions = [match.start() + i for i, c in enumerate(match.group()) if c in HOMOGLYPHS]
        letters = rng.choices((1, 2, len(positions)), weights=(6, 3, 1))[0]
        for position in sorted(rng.sample(positions, min(letters, len(positions)))):
            edits.append((position, position + 1, rng.choice(HOMOGLYPHS[text[position]])))
        if match.end() - match.start() > 1 and rng.random() < 0.2:
            inside = rng.randrange(match.start() + 1, match.end())
            edits.append((inside, inside, rng.choice(INVISIBLE)))
    return edits


def encoding_loss_edits(text: str, rng: random.Random) -> list[Edit]:
    """Lose every non-ASCII letter and garble typographic punctuation.

    One text goes through one broken pipeline, so the letter treatment
    (dropped, ``?`` or U+FFFD) and the punctuation treatment (straightened or
    UTF-8 read as cp1252: "â€™") are chosen once per text.
    """
    lost = rng.choice(_LETTER_LOSS)
    mojibake = rng.random() < 0.5
    edits: list[Edit] = []
    for position, char in enumerate(text):
        if char.isascii():
            continue
        if char.isalpha() or _is_mark(char):
            new = lost
        elif mojibake and char != "\u00a0":
            new = char.encode("utf-8").decode("cp1252", errors="replace")
        else:
            new = _STRAIGHT.get(char, "?")
        edits.append((position, position + 1, new))
    return edits


def _is_mark(char: str) -> bool:
    return unicodedata.category(char).startswith("M")

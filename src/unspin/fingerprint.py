"""Fingerprints that survive spinning.

A spinner swaps *content* words (nouns, verbs, adjectives, adverbs) and leaves
alone what has no synonym: function words, names and numbers (Stamatatos'
"stopword n-grams", 2011; DSpin's "immutables", NDSS 2014). So we project a
text onto those immutable words, with every run of content words collapsed to
one gap marker ``_``::

    Putin showed the Hollywood actor where to sign
    ->  @ptn _ the @hllwd _ where to _

and hash every run of :data:`GRAM` consecutive items. Swapping "showed" for
"presented" or "actor" for "star" leaves every hash intact; a phrase swap that
brings in a function word ("has presented") disturbs only the grams around it.
Names use :func:`~unspin.normalize.name_skeleton` so stripped or lost accents
do not break them.

Scripts written without spaces (Chinese, Japanese, Thai, ...) come as one
token per character and have no function words to keep apart from content
words, so every character is an item there: their fingerprints are
character n-grams, which find copies but do not survive spinning.

Hashes are 64-bit, computed with numpy over stable per-item xxhash values, and
stored as signed integers because that is what SQLite holds.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import xxhash

from unspin.language import UNSPACED
from unspin.model import Token
from unspin.normalize import name_skeleton

GRAM = 5
"""Items per fingerprint: long enough to be rare, short enough to survive edits."""

SAMPLE = 2
"""Keep the fingerprints whose hash is 0 mod SAMPLE ("0 mod p" selection, as in
Manber's and Broder's schemes). Index and query select the same ones, so a
copied passage still shares about 1/SAMPLE of its fingerprints, while the
index and its write time shrink by SAMPLE."""

_GAP = "_"
_MIX = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True, slots=True)
class Fingerprints:
    """The fingerprints of one text.

    ``hashes[i]`` covers the tokens ``token_index[i]`` up to (but excluding)
    ``token_end[i]``; a retrieval hit thus tells which part of a copy matched.
    """

    hashes: npt.NDArray[np.int64]
    token_index: npt.NDArray[np.int32]
    token_end: npt.NDArray[np.int32]


@dataclass(frozen=True, slots=True)
class Holders:
    """Which edition groups of an archive hold each of a text's fingerprints.

    Columnar, as the index reads them: ``groups`` lists the holders of
    ``hashes[0]``, then of ``hashes[1]``, ..., ``counts[i]`` of them for
    ``hashes[i]``. A text has a few hundred fingerprints and their holders
    run to thousands, too many to pass around one Python list apiece.
    """

    hashes: npt.NDArray[np.int64]
    """The fingerprints held by at least one and at most ``max_df`` groups."""
    counts: npt.NDArray[np.int64]
    groups: npt.NDArray[np.int64]
    too_common: npt.NDArray[np.int64]
    """The fingerprints held by more than ``max_df`` groups: too common to count."""


@functools.lru_cache(maxsize=500_000)
def _item_hash(item: str) -> int:
    return xxhash.xxh64_intdigest(item.encode())


_NON_DIGIT = re.compile(r"\D")
_UNSPACED_RE = re.compile(f"[{UNSPACED}]")


def immutable_items(text: str, tokens: Sequence[Token]) -> tuple[list[str], list[int]]:
    """Project tokens onto the words spinners leave alone.

    Returns the items and, for each, the index of the token it came from.
    """
    items: list[str] = []
    origins: list[int] = []
    in_gap = False  # the last item is a gap: a run of content words is one item
    for index, token in enumerate(tokens):
        kind = token.kind
        if kind == "word":
            key = token.key
            if not (key >= "\u0e00" and _UNSPACED_RE.match(key)):
                if not in_gap:
                    items.append(_GAP)
                    origins.append(index)
                    in_gap = True
                continue
            item = key
        elif kind == "function":
            item = token.key
        elif kind == "number":
            item = "#" + (_NON_DIGIT.sub("", token.key) or token.key)
        else:
            item = "@" + name_skeleton(text[token.start : token.end])
        items.append(item)
        origins.append(index)
        in_gap = False
    return items, origins


def fingerprint(text: str, tokens: Sequence[Token]) -> Fingerprints:
    """All :data:`GRAM`-item fingerprints of a text (a short text gets one)."""
    items, origins = immutable_items(text, tokens)
    if not items:
        empty32 = np.zeros(0, dtype=np.int32)
        return Fingerprints(np.zeros(0, dtype=np.int64), empty32, empty32)
    item_hashes = np.fromiter(map(_item_hash, items), dtype=np.uint64, count=len(items))
    width = min(GRAM, len(items))
    count = len(items) - width + 1
    grams = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(width):
            grams = grams * _MIX + item_hashes[offset : offset + count]
        grams ^= grams >> np.uint64(29)
        grams *= _MIX
        grams ^= grams >> np.uint64(32)
    starts = np.asarray(origins[:count], dtype=np.int32)
    ends = np.asarray(origins, dtype=np.int32)[width - 1 :] + 1
    keep = grams % np.uint64(SAMPLE) == 0
    if not keep.any():
        # A short text keeps its lowest hash, so it can still be found.
        keep[np.argmin(grams)] = True
    return Fingerprints(grams[keep].view(np.int64), starts[keep], ends[keep])


EDITION_LINE_WORDS = 15
"""Lines shorter than this at either end of a text may be a site's own furniture."""


def edition_key(text: str, tokens: Sequence[Token]) -> int:
    """One hash for the story a text carries, the same for every site that reprints it.

    A syndicated story reaches each site wrapped in that site's header and
    footer lines (navigation, byline, share bar, copyright). They are short
    lines, so the story is taken to run from the first line of at least
    :data:`EDITION_LINE_WORDS` words to the last one; a text with no such
    line is taken whole. Normalized keys, not the raw text, are hashed, so
    look-alike letters and reflowed white space change nothing.
    """
    first = last = None
    line_start = 0
    for line in text.split("\n"):
        line_end = line_start + len(line)
        # Counting spaces is enough to tell a line of prose from a share bar.
        if line.count(" ") >= EDITION_LINE_WORDS - 1:
            if first is None:
                first = line_start
            last = line_end
        line_start = line_end + 1
    if first is None or last is None:
        begin, end = 0, len(tokens)
    else:
        begin = bisect.bisect_left(tokens, first, key=_start)
        end = bisect.bisect_left(tokens, last, key=_start)
    keys = " ".join([t.key for t in tokens[begin:end]])
    return int(np.uint64(xxhash.xxh64_intdigest(keys.encode())).view(np.int64))


def _start(token: Token) -> int:
    return token.start

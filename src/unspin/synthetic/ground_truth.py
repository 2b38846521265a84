"""Ground-truth records of generated variants, and their JSON form."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, cast, get_args

SwapKind = Literal["synonym", "inflection", "phrase", "insertion", "deletion"]
VariantKind = Literal[
    "verbatim",
    "spun",
    "partial",
    "stitched",
    "homoglyph",
    "boilerplate",
    "encoding_loss",
    "reordered",
    "reflowed",
    "repeated",
    "bullets",
    "excerpt",
    "independent",
]
SWAP_KINDS: tuple[SwapKind, ...] = get_args(SwapKind)
VARIANT_KINDS: tuple[VariantKind, ...] = get_args(VariantKind)
CONTENT_SWAP_KINDS: frozenset[SwapKind] = frozenset({"synonym", "inflection", "phrase"})
"""Swaps that replace a content word (what ``rate`` asks for); insertions and
deletions come on top at their own rates."""


@dataclass(frozen=True, slots=True)
class Swap:
    """One change the generator made, with offsets into the *variant* text.

    ``variant.text[start:end] == text`` always. ``original`` is what the
    source had there: ``""`` for an insertion, and for a deletion ``text`` is
    ``""`` and ``start == end``. Insertions and deletions carry one adjacent
    space (``"reportedly "``) so that putting every ``original`` back, last
    swap first, rebuilds the source passage exactly.
    """

    start: int
    end: int
    text: str
    original: str
    kind: SwapKind


@dataclass(frozen=True, slots=True)
class Variant:
    """A generated copy of one or more source texts, with its ground truth.

    - ``source_ids``: ids of the sources used, in order of appearance.
    - ``swap_rate``: the requested share of swappable content words.
    - ``swaps``: every change, in text order (empty for ``verbatim``).
    - ``source_spans``: ``(source_id, start, end)`` ranges of the *source*
      texts that were reused, in order of appearance in the copy (a range
      repeated in the copy is listed again; a reordered copy lists its
      sentences or paragraphs in the copy's order).
    - ``copy_spans``: ``(start, end)`` ranges of the variant text, one per
      entry of ``source_spans`` and in the same order, that were made from
      those source ranges (site furniture and text around an excerpt are
      outside every range).

    Between ``copy_spans[i]`` and ``source_spans[i]``, undoing the swaps
    inside the copy range gives the source range back, except where a kind
    changes the layout on purpose: ``reflowed`` (line breaks, punctuation,
    case), ``bullets`` (list markers) and ``verbatim`` (white space).
    """

    kind: VariantKind
    text: str
    source_ids: list[str]
    swap_rate: float
    swaps: list[Swap]
    source_spans: list[tuple[str, int, int]]
    copy_spans: list[tuple[int, int]] = field(default_factory=list)


def variant_to_json(variant: Variant) -> dict[str, Any]:
    """A JSON-ready dict of a variant (see :func:`variant_from_json`)."""
    return {
        "kind": variant.kind,
        "text": variant.text,
        "source_ids": list(variant.source_ids),
        "swap_rate": variant.swap_rate,
        "swaps": [
            {"start": s.start, "end": s.end, "text": s.text, "original": s.original, "kind": s.kind}
            for s in variant.swaps
        ],
        "source_spans": [
            {"source_id": sid, "start": start, "end": end}
            for sid, start, end in variant.source_spans
        ],
        "copy_spans": [{"start": start, "end": end} for start, end in variant.copy_spans],
    }


def variant_from_json(data: dict[str, Any]) -> Variant:
    """Read back what :func:`variant_to_json` wrote; ``ValueError`` on bad kinds."""
    kind = data["kind"]
    if kind not in VARIANT_KINDS:
        raise ValueError(f"unknown variant kind {kind!r}")
    swaps = []
    for s in data["swaps"]:
        if s["kind"] not in SWAP_KINDS:
            raise ValueError(f"unknown swap kind {s['kind']!r}")
        swaps.append(
            Swap(
                int(s["start"]),
                int(s["end"]),
                str(s["text"]),
                str(s["original"]),
                cast(SwapKind, s["kind"]),
            )
        )
    return Variant(
        kind=cast(VariantKind, kind),
        text=str(data["text"]),
        source_ids=[str(i) for i in data["source_ids"]],
        swap_rate=float(data["swap_rate"]),
        swaps=swaps,
        source_spans=[
            (str(p["source_id"]), int(p["start"]), int(p["end"])) for p in data["source_spans"]
        ],
        copy_spans=[(int(p["start"]), int(p["end"])) for p in data.get("copy_spans", [])],
    )


def restore(text: str, swaps: list[Swap]) -> str:
    """Undo ``swaps`` on ``text`` (the source passage they were made from)."""
    for swap in reversed(swaps):
        text = text[: swap.start] + swap.original + text[swap.end :]
    return text

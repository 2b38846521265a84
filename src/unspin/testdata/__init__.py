"""Seeded, reproducible content-farm variants of texts, with ground truth.

An evaluation tool, not part of the checking pipeline: it makes the copies
(spun, partial, stitched, disguised, wrapped in boilerplate) that unspin's
retrieval, alignment and verdicts are measured against.

>>> from unspin.testdata import make_variant
>>> variant = make_variant("spun", [document], rate=0.3, seed=7)  # doctest: +SKIP
"""

from unspin.lexicon.wordforms import LexiconLike
from unspin.testdata.spinner import Spinner
from unspin.testdata.variant import (
    Swap,
    SwapKind,
    Variant,
    VariantKind,
    restore,
    variant_from_json,
    variant_to_json,
)
from unspin.testdata.variants import make_variant

__all__ = [
    "LexiconLike",
    "Spinner",
    "Swap",
    "SwapKind",
    "Variant",
    "VariantKind",
    "make_variant",
    "restore",
    "variant_from_json",
    "variant_to_json",
]

"""Seeded, reproducible content-farm variants of texts, with ground truth.

Not part of the checking pipeline: it makes the copies (spun, partial,
stitched, disguised, wrapped in boilerplate) that unspin's retrieval,
alignment and verdicts are measured against, and that ``unspin train`` teaches
the detector on.

>>> from unspin.synthetic import make_variant
>>> variant = make_variant("spun", [document], rate=0.3, seed=7)  # doctest: +SKIP
"""

from unspin.lexicon.wordforms import LexiconLike
from unspin.synthetic.builders import make_variant
from unspin.synthetic.ground_truth import (
    Swap,
    SwapKind,
    Variant,
    VariantKind,
    restore,
    variant_from_json,
    variant_to_json,
)
from unspin.synthetic.spinner import Spinner

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

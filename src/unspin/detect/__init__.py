"""Spin detection without a source: score a text, flag swapped words, suggest originals.

>>> from unspin.detect import detect
>>> found = detect("The starring became a taxation exile in ire.")  # doctest: +SKIP
>>> found.verdict, [(f.text, f.suggestions[:1]) for f in found.flags]  # doctest: +SKIP

:func:`detect` uses the shipped default model (trained on the bundled sample
archive); :class:`Detector` takes a model trained on your own archive
(``unspin train``), a spinner dictionary learned from found copies
(``unspin learn``) and, optionally, a local masked language model
(:class:`MaskedLM`, ``unspin detect --mlm``; needs ``unspin[mlm]``).
"""

from __future__ import annotations

import functools

from unspin.detect.classifier import DetectorModel, load_model
from unspin.detect.detector import Detector
from unspin.detect.dictionary import SpinnerDictionary
from unspin.detect.mlm import MaskedLM
from unspin.detect.train import train_model
from unspin.model import Detection, DetectionVerdict, Flag

__all__ = [
    "Detection",
    "DetectionVerdict",
    "Detector",
    "DetectorModel",
    "Flag",
    "MaskedLM",
    "SpinnerDictionary",
    "detect",
    "load_model",
    "train_model",
]


@functools.cache
def _default_detector() -> Detector:
    return Detector()


def detect(text: str, *, site: str | None = None, doc_id: str | None = None) -> Detection:
    """Judge ``text`` with the shipped default model (loaded once per process)."""
    return _default_detector().detect(text, site=site, doc_id=doc_id)

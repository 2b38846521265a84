"""Why a word was flagged, in words a reader can check.

The word model weighs dozens of features at once; a reader wants the two or
three that matter, in plain terms: "LM: 'tax exile' 70x likelier than
'taxation exile'; rare in news (zipf 2.1)". Each signal below is read off the
word's feature row (and the language model, for the phrase it quotes) and
carries a strength, so the strongest come first.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from unspin.detect.english import SENTENCE_START, word_context
from unspin.detect.features import FEATURE_NAMES, FeatureExtractor, WordSlot
from unspin.model import Token

MAX_REASONS = 3
_RARE_ZIPF = 3.5
"""Zipf frequency below which a word is rare in news (about once in 300,000 words)."""
_LM_RATIO_SHOWN = 3.0
_COLUMN = {name: i for i, name in enumerate(FEATURE_NAMES)}


def explain(
    extractor: FeatureExtractor,
    text: str,
    tokens: Sequence[Token],
    slot: WordSlot,
    row: npt.NDArray[np.float64],
    *,
    known_swap: bool = False,
) -> tuple[str, ...]:
    """The strongest reasons (at most :data:`MAX_REASONS`) that ``slot`` looks swapped in;
    ``row`` is its feature row, ``known_swap`` whether the spinner dictionary knows it."""

    def value(name: str) -> float:
        return float(row[_COLUMN[name]])

    reasons: list[tuple[float, str]] = []
    lm_reason = _language_model_reason(extractor, text, tokens, slot)
    if lm_reason is not None:
        reasons.append(lm_reason)
    if known_swap:
        reasons.append((3.0, "this site's spinner made the same swap before"))
    previous = tokens[slot.token_index - 1].key if slot.token_index else ""
    if value("article_mismatch"):
        reasons.append((3.0, f"'{previous} {slot.word}': the article does not fit the word"))
    if value("determiner_gerund"):
        reasons.append((3.0, f"'{previous} {slot.word}': a verb form after '{previous}'"))
    if value("phrase_pair") or value("phrase_of_three") >= 0:
        reasons.append((2.0, "part of a thesaurus phrase for one common word"))
    zipf, best = value("zipf"), value("best_synonym_zipf")
    if zipf < _RARE_ZIPF and best > zipf:
        reasons.append((best - zipf, f"rare in news (zipf {zipf:.1f})"))
    if value("derived_form") and value("lm_gap") > 0:
        reasons.append((1.0, "an unusual derived form"))
    reasons.sort(key=lambda reason: -reason[0])
    return tuple(reason for _, reason in reasons[:MAX_REASONS])


def _language_model_reason(
    extractor: FeatureExtractor, text: str, tokens: Sequence[Token], slot: WordSlot
) -> tuple[float, str] | None:
    """ "LM: 'tax exile' 70x likelier than 'taxation exile'", quoting the neighbour on
    the side where the candidate gains most."""
    if not slot.candidates:
        return None
    model = extractor.english_model
    context = word_context(text, tokens, slot.token_index)
    written = model.window(slot.word, context)
    scored = [(model.window(c, context), c) for c in slot.candidates]
    best, candidate = max(scored, key=lambda found: found[0].total)
    gain = best.total - written.total
    if gain < math.log10(_LM_RATIO_SHOWN):
        return None
    left_side = context.previous != SENTENCE_START and (
        best.left - written.left >= best.right - written.right or context.following is None
    )
    if left_side:
        ours, theirs = f"{context.previous} {candidate}", f"{context.previous} {slot.word}"
    elif context.following is not None:
        ours, theirs = f"{candidate} {context.following}", f"{slot.word} {context.following}"
    else:
        ours, theirs = candidate, slot.word
    ratio = 10**gain
    shown = f"{ratio:,.0f}x" if ratio < 1e6 else "over a million times"
    return gain, f"LM: '{ours}' {shown} likelier than '{theirs}'"

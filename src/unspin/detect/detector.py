"""Score a text for spinning, flag the swapped words and suggest the originals."""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from unspin.detect.classifier import (
    DOC_FEATURE_NAMES,
    DetectorModel,
    DocumentFeatures,
    Logistic,
    Matrix,
    Vector,
    load_model,
    sigmoid,
)
from unspin.detect.dictionary import SpinnerDictionary
from unspin.detect.evidence import explain
from unspin.detect.features import (
    FEATURE_NAMES,
    GRAMMAR_FEATURES,
    CandidateColumns,
    FeatureExtractor,
    WordSlot,
    same_case,
)
from unspin.detect.mlm import MaskedLM, SlotLikelihood, load_mlm
from unspin.detect.passages import Window, passage_windows
from unspin.lexicon import Lexicon
from unspin.model import Detection, DetectionVerdict, Flag, SpunPassage, Token
from unspin.normalize import tokenize
from unspin.runtime import cycle_collection_paused

CLEAN_BELOW = 0.35
"""Spin scores below this are called ``clean``; from the model's ``spun_at`` up, ``spun``;
in between, ``uncertain``."""
MAX_SUGGESTIONS = 5
_MAX_PHRASE_WORDS = 3
"""Longest thesaurus phrase one flag may cover ("sexually transmitted disease")."""

# A spinner-dictionary hit adds to a word's log-odds: the same swap seen from the
# same site is strong evidence; from another site, half as strong.
# The share of a site's content words a typical spinner swaps: the log-odds boost is
# how much more often than that the site swapped this word.
_TYPICAL_SWAP_SHARE = 0.15
_GRAMMAR_COLUMNS = [FEATURE_NAMES.index(name) for name in GRAMMAR_FEATURES]
_TOP_SHARE = 0.1


def _swap_evidence(swapped: int, seen: int) -> float:
    """Log-odds boost for a word swapped ``swapped`` times in ``seen`` occurrences."""
    share = (swapped + 0.5) / (max(seen, swapped) + 1.0)
    typical = _TYPICAL_SWAP_SHARE
    return max(0.0, math.log(share / (1 - share)) - math.log(typical / (1 - typical)))


def verdict_of(spin_score: float, spun_at: float) -> DetectionVerdict:
    if spin_score >= spun_at:
        return "spun"
    if spin_score < CLEAN_BELOW:
        return "clean"
    return "uncertain"


def document_features(word_scores: Vector, word_features: Matrix, threshold: float) -> Vector:
    """The document-level inputs of the calibrator (:class:`DocumentFeatures`)."""
    n = len(word_scores)
    if n == 0:
        return np.zeros(len(DOC_FEATURE_NAMES))
    top = np.sort(word_scores)[-max(1, math.ceil(n * _TOP_SHARE)) :]
    flagged = int((word_scores >= threshold).sum())
    misfits = float(word_features[:, _GRAMMAR_COLUMNS].sum())
    return np.array(
        DocumentFeatures(
            mean_score=float(word_scores.mean()),
            top_mean_score=float(top.mean()),
            share_flagged=flagged / n,
            log_flagged=math.log1p(flagged),
            share_grammar_misfits=misfits / n,
        )
    )


def spin_scores(
    calibrator: Logistic,
    threshold: float,
    word_scores: Vector,
    word_features: Matrix,
    windows: Sequence[Window],
) -> tuple[float, list[float]]:
    """The text's spin score and each passage's: the text is as spun as its whole, or as
    its most spun passage when it has several (a spun article among clean sidebars).
    ``threshold`` is the word model's flagging threshold."""

    def calibrated(part: slice) -> float:
        doc = document_features(word_scores[part], word_features[part], threshold)
        return float(sigmoid(calibrator.logit(doc[None, :]))[0])

    whole = calibrated(slice(None))
    if len(windows) < 2:
        return whole, [whole] * len(windows)
    passages = [calibrated(window.slots) for window in windows]
    return max(whole, *passages), passages


class Detector:
    """A loaded model with its feature extractor; reuse one for many texts.

    ``model`` is a :class:`DetectorModel`, a model file, or None for the shipped
    default. ``dictionary`` is a learned :class:`SpinnerDictionary` (optional).
    ``mlm`` is a local masked language model (a :class:`MaskedLM` or its folder,
    optional, needs ``unspin[mlm]``): how much more likely it finds a candidate
    original than the written word adds to that word's log-odds, and reorders
    the suggestions.
    """

    def __init__(
        self,
        model: DetectorModel | Path | str | None = None,
        *,
        dictionary: SpinnerDictionary | None = None,
        lexicon: Lexicon | None = None,
        mlm: MaskedLM | Path | str | None = None,
    ) -> None:
        self.model = model if isinstance(model, DetectorModel) else load_model(model)
        self.dictionary = dictionary
        self.mlm = load_mlm(mlm)
        self.extractor = FeatureExtractor(self.model.ngrams, lexicon)

    def detect(self, text: str, *, site: str | None = None, doc_id: str | None = None) -> Detection:
        """Judge one text; ``site`` (where it was published) lets the dictionary help more.

        Python's cycle collector is paused while the text is judged, in every thread.
        """
        with cycle_collection_paused():
            return self._detect(text, site, doc_id)

    def _detect(self, text: str, site: str | None, doc_id: str | None) -> Detection:
        tokens = tokenize(text)
        slots = self.extractor.slots(text, tokens)
        seen: dict[int, CandidateColumns] = {}
        features = self.extractor.features(text, slots, tokens, candidates_seen=seen)
        windows = passage_windows(text, slots)
        logits = self.model.word_logits(features, [w.slots for w in windows])
        known = [self._known(slot.word, site) for slot in slots]
        for i, found in enumerate(known):
            if found is not None:
                logits[i] += found[0]
        threshold = self.model.word_threshold
        likelihoods = self._likelihoods(text, slots, tokens, logits, threshold, seen)
        if self.mlm is not None:
            for i, likelihood in likelihoods.items():
                logits[i] += self.mlm.evidence(likelihood.gap)
        scores = sigmoid(logits)
        spin_score, passage_scores = spin_scores(
            self.model.document, threshold, scores, features, windows
        )
        if not slots:
            spin_score = 0.5  # nothing to judge: no evidence either way
        flags = []
        for i, slot in enumerate(slots):
            if scores[i] >= threshold:
                hit = known[i]
                originals = hit[1] if hit is not None else ()
                suggestions = self.suggest(
                    text,
                    slot,
                    tokens,
                    originals,
                    likelihood=likelihoods.get(i),
                    seen=seen.get(slot.token_index),
                )
                evidence = explain(
                    self.extractor, text, tokens, slot, features[i], known_swap=hit is not None
                )
                flags.append(
                    Flag(
                        slot.start,
                        slot.end,
                        text[slot.start : slot.end],
                        round(float(scores[i]), 4),
                        suggestions,
                        evidence,
                    )
                )
        flags = self._join_phrases(text, tokens, slots, flags)
        passages = tuple(
            SpunPassage(window.start, window.end, round(score, 4))
            for window, score in zip(windows, passage_scores, strict=True)
            if score >= self.model.spun_at
        )
        return Detection(
            text,
            round(spin_score, 4),
            verdict_of(spin_score, self.model.spun_at),
            tuple(flags),
            len(slots),
            doc_id,
            site,
            passages,
        )

    def _join_phrases(
        self, text: str, tokens: Sequence[Token], slots: Sequence[WordSlot], flags: list[Flag]
    ) -> list[Flag]:
        """Flagged words that make one thesaurus phrase, with any words between them
        ("crime syndicate", "chew the fat"), become one flag whose suggestions are the
        phrase's one-word synonyms: "crime syndicate" was most likely "mob", which
        neither word alone suggests."""
        token_of = {slot.start: slot.token_index for slot in slots}
        joined: list[tuple[int, Flag]] = []  # (first token, flag)
        for flag in flags:
            end = token_of[flag.start]
            # The earliest flag that starts a phrase ending here: the longest phrase.
            for k in range(max(0, len(joined) - _MAX_PHRASE_WORDS + 1), len(joined)):
                begin, first = joined[k]
                span = tokens[begin : end + 1]
                if len(span) > _MAX_PHRASE_WORDS or any(
                    text[a.end : b.start] != " " for a, b in itertools.pairwise(span)
                ):
                    continue
                phrase = self.extractor.phrase_suggestions(tokens, begin, end)
                if phrase:
                    suggestions = tuple(same_case(w, first.text) for w in phrase[:MAX_SUGGESTIONS])
                    score = max(flag.score, *(f.score for _, f in joined[k:]))
                    words = text[first.start : flag.end]
                    evidence = (
                        f"a thesaurus phrase for '{suggestions[0]}'"
                        if suggestions
                        else "a thesaurus phrase",
                        *(e for e in first.evidence if "thesaurus phrase" not in e),
                    )
                    joined[k:] = [
                        (
                            begin,
                            Flag(
                                first.start,
                                flag.end,
                                words,
                                score,
                                suggestions,
                                tuple(dict.fromkeys(evidence))[:3],
                            ),
                        )
                    ]
                    break
            else:
                joined.append((end, flag))
        return [flag for _, flag in joined]

    def _likelihoods(
        self,
        text: str,
        slots: Sequence[WordSlot],
        tokens: Sequence[Token],
        logits: Vector,
        threshold: float,
        seen: dict[int, CandidateColumns],
    ) -> dict[int, SlotLikelihood]:
        """The masked LM's view of the slots whose flag it could change, by slot number.

        Its evidence is bounded (``MaskedLM.max_evidence``), so a word scored far
        below the threshold stays unflagged whatever the model says: those words,
        most of a text, are not scored, which saves most of the model's time. The
        model scores each word's likeliest candidates by the ranker, not merely
        the commonest.
        """
        if self.mlm is None or not slots:
            return {}
        odds = min(max(threshold, 1e-6), 1 - 1e-6)
        floor = math.log(odds / (1 - odds)) - self.mlm.max_evidence
        chosen = [i for i, slot in enumerate(slots) if logits[i] >= floor and slot.candidates]
        ranked = []
        for i in chosen:
            slot = slots[i]
            rows = self.extractor.candidate_features(
                text, slot, tokens, seen=seen.get(slot.token_index)
            )
            order = np.argsort(-self.model.ranker.logit(rows), kind="stable")
            ranked.append(replace(slot, candidates=tuple(slot.candidates[j] for j in order)))
        found = self.mlm.score(text, ranked)
        return dict(zip(chosen, found, strict=True))

    def _known(self, word: str, site: str | None) -> tuple[float, tuple[str, ...]] | None:
        if self.dictionary is None:
            return None
        found = self.dictionary.lookup(word, site)
        if found is None:
            return None
        if found.site_count:
            boost = _swap_evidence(found.site_count, found.site_seen)
        else:
            boost = 0.5 * _swap_evidence(found.overall_count, found.overall_seen)
        return boost, found.originals

    def suggest(
        self,
        text: str,
        slot: WordSlot,
        tokens: Sequence[Token],
        known_originals: Sequence[str] = (),
        exclude: tuple[Counter[str], Counter[str]] | None = None,
        *,
        likelihood: SlotLikelihood | None = None,
        seen: CandidateColumns | None = None,
    ) -> tuple[str, ...]:
        """Candidate originals of ``slot``, best first: dictionary habits, then the ranker.

        With the masked LM's ``likelihood`` of the slot, each candidate's ranker
        log-odds gain the model's evidence for it (``MaskedLM.rank_evidence``,
        weighted and clipped as for words): the ranker knows the spinner's habits,
        the language model the whole sentence. ``seen``: the slot's candidate columns
        as :meth:`FeatureExtractor.features` left them (see ``candidate_features``).
        """
        ranked = list(known_originals)
        if slot.candidates:
            rows = self.extractor.candidate_features(text, slot, tokens, exclude, seen)
            rank = self.model.ranker.logit(rows)
            if likelihood is not None and self.mlm is not None:
                rank = rank + np.array(self.mlm.rank_evidence(likelihood, slot.candidates))
            order = np.argsort(-rank, kind="stable")
            ranked += [slot.candidates[i] for i in order]
        unique = [w for w in dict.fromkeys(ranked) if w != slot.word][:MAX_SUGGESTIONS]
        written = text[slot.start : slot.end]
        return tuple(same_case(w, written) for w in unique)

"""Self-supervised training: spin the archive's own articles and learn to spot the swaps.

Every article is spun at a few rates with the test-data spinner, whose ground
truth (``Swap``) labels each word; the clean article is the negative example.
The corpus n-gram counts are taken from the same articles, so each text is
featurised with its own source's counts taken away (leave-one-out): the model
learns what the context signal looks like when the source is *not* archived,
which is the only case where detection is needed.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from unspin.detect.classifier import (
    SPUN_AT_LEAST,
    DetectorModel,
    Logistic,
    Matrix,
    Vector,
    fit_logistic,
    sigmoid,
    with_text_prior,
)
from unspin.detect.detector import document_features, spin_scores
from unspin.detect.features import FeatureExtractor, NgramCounts, WordSlot, text_ngrams
from unspin.detect.passages import Window, passage_windows
from unspin.detect.trees import BoostedTrees, fit_trees
from unspin.errors import UnspinError
from unspin.lexicon import Lexicon
from unspin.model import Document
from unspin.normalize import tokenize
from unspin.synthetic import LexiconLike, Spinner, Swap, Variant, make_variant

TRAIN_RATES = (0.1, 0.2, 0.3)
MIN_DOCUMENTS = 5
IGNORED = -1
"""Label of a word that the spinner inserted (a filler, not a swap): left out."""
_SWAPPED_KINDS = frozenset({"synonym", "inflection", "phrase"})
_RESTORABLE_KINDS = frozenset({"synonym", "inflection"})
# Bigrams stored in the model file; an archive larger than this keeps its commonest
# ones (the file stays a few MB; rare pairs add little evidence).
_MAX_BIGRAMS_KEPT = 150_000
_FOLDS = 2
_CLEAN_CALLED_SPUN = 0.01
"""The share of clean training texts the ``spun`` verdict may take in."""
_SHORT_TEXT = (15, 80)
"""Judged words in the short stretches the calibrator also learns from."""


@dataclass(slots=True)
class LabelledText:
    """One training or evaluation text, featurised, with its ground truth."""

    text: str
    slots: list[WordSlot]
    features: Matrix
    labels: Vector
    """1 swapped in, 0 as the source had it, ``IGNORED`` for inserted fillers."""
    originals: list[str | None]
    """Per slot: the source's word for a restorable one-word swap, else None."""
    spun: bool
    windows: list[Window]
    """Its passages (:func:`passage_windows`)."""

    @property
    def passage_rows(self) -> list[slice]:
        return [window.slots for window in self.windows]


def label_slots(
    slots: Sequence[WordSlot], swaps: Sequence[Swap]
) -> tuple[Vector, list[str | None]]:
    """Ground-truth labels and original words of ``slots`` from the spinner's swaps."""
    labels = np.zeros(len(slots))
    originals: list[str | None] = [None] * len(slots)
    ordered = sorted(swaps, key=lambda s: s.start)
    position = 0
    for i, slot in enumerate(slots):
        while position < len(ordered) and ordered[position].end <= slot.start:
            position += 1
        for swap in ordered[position : position + 2]:
            if swap.start < slot.end and slot.start < swap.end:
                if swap.kind in _SWAPPED_KINDS:
                    labels[i] = 1.0
                    original = swap.original.lower()
                    if swap.kind in _RESTORABLE_KINDS and original.isalpha():
                        originals[i] = original
                elif swap.kind == "insertion":
                    labels[i] = IGNORED
                break
    return labels, originals


def labelled_text(
    extractor: FeatureExtractor,
    text: str,
    swaps: Sequence[Swap],
    source_text: str | None,
    *,
    spun: bool,
) -> LabelledText:
    """Featurise one text; ``source_text``'s n-grams are taken out of the corpus counts."""
    tokens = tokenize(text)
    slots = extractor.slots(text, tokens)
    exclude = text_ngrams(source_text) if source_text is not None else None
    features = extractor.features(text, slots, tokens, exclude)
    labels, originals = label_slots(slots, swaps)
    return LabelledText(
        text, slots, features, labels, originals, spun, passage_windows(text, slots)
    )


class ThesaurusView:
    """A spinner's own view of a lexicon: the same words, forms and frequencies, with a
    :meth:`synonyms` that subclasses change (one spinner's habits)."""

    def __init__(self, lexicon: LexiconLike, seed: int = 0) -> None:
        self.lexicon = lexicon
        self.seed = seed

    def synonyms(self, word: str, pos: str | None = None, limit: int = 50) -> list[str]:
        return self.lexicon.synonyms(word, pos, limit)

    def lemmas(self, word: str) -> dict[str, list[str]]:
        return self.lexicon.lemmas(word)

    def inflect(self, lemma: str, tag: str) -> str | None:
        return self.lexicon.inflect(lemma, tag)

    def zipf(self, word: str) -> float:
        return self.lexicon.zipf(word)


class SenseBlindThesaurus(ThesaurusView):
    """A cruder spinner's thesaurus: every sense of a word at once ("bank" of a river
    for "bank" the lender), in an order that says nothing about fit."""

    def synonyms(self, word: str, pos: str | None = None, limit: int = 50) -> list[str]:
        found = self.lexicon.synonyms(word, None, limit)
        random.Random(f"{self.seed}:{word}").shuffle(found)
        return found


SPINNER_STYLES = ("thesaurus", "phrases", "sense-blind", "reordered")
"""How the training copies are spun, in turn, as real spinners differ: the test-data
spinner as it is; one fond of multiword phrases and fillers; one blind to word senses;
and one that also reorders sentences or paragraphs."""


class StyledSpinners:
    """One spinner per style of :data:`SPINNER_STYLES`, made once (their caches are the speed)."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        from unspin.lexicon import get_lexicon

        self.lexicon = lexicon or get_lexicon()
        self.plain = Spinner(self.lexicon)
        self.sense_blind = Spinner(SenseBlindThesaurus(self.lexicon))

    def copy(self, document: Document, rate: float, seed: int, style: str) -> Variant:
        """A spun copy of ``document`` in ``style``, with its ground truth."""
        if style == "phrases":
            return self.plain.spin(
                document.text, rate, phrase_rate=0.4, insert_rate=0.06, seed=seed
            )
        if style == "sense-blind":
            return self.sense_blind.spin(document.text, rate, seed=seed)
        kind = "reordered" if style == "reordered" else "spun"
        return make_variant(kind, [document], rate=rate, seed=seed, spinner=self.plain)


def training_texts(
    extractor: FeatureExtractor,
    documents: Sequence[Document],
    *,
    rates: Sequence[float] = TRAIN_RATES,
    seed: int = 0,
    on_document: Callable[[], None] | None = None,
) -> list[LabelledText]:
    """Each document clean, and spun once per rate (seeds ``seed + ...``), the spinner
    styles taking turns."""
    spinners = StyledSpinners(extractor.lexicon)
    texts: list[LabelledText] = []
    for number, document in enumerate(documents):
        texts.append(labelled_text(extractor, document.text, [], document.text, spun=False))
        for r, rate in enumerate(rates):
            style = SPINNER_STYLES[(number + r) % len(SPINNER_STYLES)]
            variant = spinners.copy(document, rate, seed + number * len(rates) + r, style)
            texts.append(
                labelled_text(extractor, variant.text, variant.swaps, document.text, spun=True)
            )
        if on_document is not None:
            on_document()
    return texts


def _best_f1_threshold(scores: Vector, labels: Vector) -> float:
    order = np.argsort(-scores)
    sorted_labels = labels[order]
    true_positives = np.cumsum(sorted_labels)
    predicted = np.arange(1, len(scores) + 1)
    f1 = 2 * true_positives / (predicted + labels.sum())
    best = int(np.argmax(f1))
    return float(scores[order][best])


def _ranker_examples(
    extractor: FeatureExtractor, texts: Sequence[LabelledText], sources: dict[str, str]
) -> tuple[Matrix, Vector]:
    rows: list[Matrix] = []
    labels: list[Vector] = []
    for item in texts:
        tokens = None
        exclude = text_ngrams(sources[item.text]) if item.text in sources else None
        for slot, original in zip(item.slots, item.originals, strict=True):
            if original is None or original not in slot.candidates:
                continue
            tokens = tokenize(item.text) if tokens is None else tokens
            rows.append(extractor.candidate_features(item.text, slot, tokens, exclude))
            labels.append(np.array([float(c == original) for c in slot.candidates]))
    if not rows:
        raise UnspinError("no restorable swaps to learn suggestions from; give more documents")
    return np.vstack(rows), np.concatenate(labels)


def train_model(
    documents: Sequence[Document],
    *,
    rates: Sequence[float] = TRAIN_RATES,
    seed: int = 0,
    lexicon: Lexicon | None = None,
    on_document: Callable[[], None] | None = None,
) -> DetectorModel:
    """Learn a detector from ``documents`` (clean originals, e.g. an index's articles)."""
    if len(documents) < MIN_DOCUMENTS:
        raise UnspinError(
            f"need at least {MIN_DOCUMENTS} documents to train on, got {len(documents)}"
        )
    ngrams = NgramCounts.from_texts(d.text for d in documents)
    # Only words of two or more articles: leaving one article out must not leave
    # its words' reverse synonyms behind (they would leak the answer).
    shared = [w for w, n in ngrams.document_frequency.items() if n >= 2]
    ngrams.spun_from = FeatureExtractor(ngrams, lexicon).spun_from(shared)
    extractor = FeatureExtractor(ngrams, lexicon)
    texts = training_texts(extractor, documents, rates=rates, seed=seed, on_document=on_document)
    # Cross-fitting: the threshold and the calibrator are tuned on word scores of
    # articles the word model did not see, as they will be in use; scores on the
    # training texts themselves are overconfident and would call clean text spun.
    per_document = 1 + len(rates)
    folds = np.array([(i // per_document) % _FOLDS for i in range(len(texts))])
    held_out_scores: list[Vector] = [np.zeros(0)] * len(texts)
    for fold in range(_FOLDS):
        inside = [t for t, f in zip(texts, folds, strict=True) if f != fold]
        screen, word = _fit_word(inside)
        fold_model = DetectorModel(screen, word, screen, screen, 0.5, ngrams)
        for i in np.flatnonzero(folds == fold):
            item = texts[i]
            held_out_scores[i] = sigmoid(fold_model.word_logits(item.features, item.passage_rows))
    labels = np.concatenate([t.labels for t in texts])
    keep = labels != IGNORED
    threshold = _best_f1_threshold(np.concatenate(held_out_scores)[keep], labels[keep])
    # The calibrator sees as many spun examples as clean ones (weights balance them).
    doc_rows, doc_targets = _document_examples(texts, held_out_scores, threshold, seed)
    document = fit_logistic(doc_rows, doc_targets, l2=1.0, balanced=True)
    clean_scores = [
        spin_scores(document, threshold, scores, item.features, item.windows)[0]
        for item, scores in zip(texts, held_out_scores, strict=True)
        if not item.spun
    ]
    spun_at = _spun_at(document, doc_rows, doc_targets, clean_scores)
    screen, word = _fit_word(texts)
    ranker = fit_logistic(*_ranker_examples(extractor, texts, _sources_of(texts, documents, rates)))
    kept = ngrams.most_common(_MAX_BIGRAMS_KEPT)
    return DetectorModel(
        screen=screen,
        word=word,
        document=document,
        ranker=ranker,
        word_threshold=threshold,
        ngrams=kept,
        spun_at=spun_at,
        info={
            "documents": len(documents),
            "rates": list(rates),
            "seed": seed,
            "training_words": int(keep.sum()),
            "training_swaps": int(labels[keep].sum()),
        },
    )


def _sources_of(
    texts: Sequence[LabelledText], documents: Sequence[Document], rates: Sequence[float]
) -> dict[str, str]:
    """Text -> the source it was made from (texts come per document: clean, then each rate)."""
    per_document = 1 + len(rates)
    return {item.text: documents[i // per_document].text for i, item in enumerate(texts)}


def _fit_word(texts: Sequence[LabelledText]) -> tuple[Logistic, BoostedTrees]:
    """The two-stage word classifier (screen, then trees with the text prior)."""
    features = np.vstack([t.features for t in texts])
    labels = np.concatenate([t.labels for t in texts])
    keep = labels != IGNORED
    screen = fit_logistic(features[keep], labels[keep], l2=1.0)
    with_prior = np.vstack([with_text_prior(screen, t.features, t.passage_rows) for t in texts])
    return screen, fit_trees(with_prior[keep], labels[keep])


def _document_examples(
    texts: Sequence[LabelledText], scores: Sequence[Vector], threshold: float, seed: int = 0
) -> tuple[Matrix, Vector]:
    """The calibrator's inputs and targets (1: spun): each text whole, and one stretch of
    it of 15 to 80 judged words, since people also paste a paragraph or a few
    sentences, whose evidence is thinner than a whole article's."""
    rng = np.random.default_rng(seed)
    rows: list[Vector] = []
    targets: list[float] = []
    for item, item_scores in zip(texts, scores, strict=True):
        rows.append(document_features(item_scores, item.features, threshold))
        targets.append(float(item.spun))
        length = int(rng.integers(_SHORT_TEXT[0], _SHORT_TEXT[1] + 1))
        if len(item_scores) > length:
            begin = int(rng.integers(0, len(item_scores) - length + 1))
            part = slice(begin, begin + length)
            rows.append(document_features(item_scores[part], item.features[part], threshold))
            targets.append(float(item.spun))
    return np.vstack(rows), np.array(targets)


def _spun_at(
    document: Logistic, rows: Matrix, targets: Vector, clean_texts: Sequence[float] = ()
) -> float:
    """The ``spun`` verdict's threshold: SPUN_AT_LEAST, raised until at most
    _CLEAN_CALLED_SPUN of the clean examples reach it.

    The calibrated score says how likely spinning is when spun and clean texts are
    equally common; a verdict that people act on should rarely accuse clean text,
    so it waits for stronger evidence. The clean examples' scores come from word
    models that did not see them, as in use; ``clean_texts`` are whole clean texts'
    spin scores, their most spun passage included (:func:`spin_scores`).
    """
    clean = np.concatenate([sigmoid(document.logit(rows[targets == 0])), clean_texts])
    if clean.size == 0:
        return SPUN_AT_LEAST
    highest_allowed = float(np.quantile(clean, 1.0 - _CLEAN_CALLED_SPUN, method="higher"))
    return max(SPUN_AT_LEAST, min(round(highest_allowed + 0.005, 3), 0.99))

"""The detector's learned parts, and their file format (gzipped JSON, never pickle).

A model holds small classifiers and the corpus statistics they were trained with:

* the **word** classifier: is this word a swap? (features: :mod:`.features`). Two
  stages: a logistic *screen* gives every word a first score, whose mean over the
  text (how spun the text looks overall) joins the features of boosted trees
  (:mod:`.trees`), so that one odd word in a clean text counts for less;
* the **document** calibrator: from the word scores to a spin score in [0, 1],
  trained on as many spun as clean texts so that 0.5 means even odds;
* the **ranker** of suggestions: which candidate was the original word;
* the archive's unigram and bigram counts (the n-gram context signal).
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from unspin.detect.features import FEATURE_NAMES, RANK_FEATURE_NAMES, NgramCounts
from unspin.detect.trees import BoostedTrees
from unspin.errors import UnspinError
from unspin.io import atomic_write

FORMAT = "unspin-detect-model"
VERSION = 8
DEFAULT_MODEL_NAME = "detect-model.json.gz"

Matrix = npt.NDArray[np.float64]
Vector = npt.NDArray[np.float64]

SPUN_AT_LEAST = 0.65
"""The lowest score a model may call ``spun`` (clearly above even odds)."""

REBUILD_HINT = "rebuild it with 'unspin train --db ARCHIVE.db --out MODEL'"


@dataclass(slots=True)
class Logistic:
    """A standardised logistic regression: p = sigmoid(w . (x - mean) / scale + b)."""

    mean: Vector
    scale: Vector
    weights: Vector
    bias: float

    def logit(self, x: Matrix) -> Vector:
        if x.shape[0] == 0:
            return np.zeros(0)
        result: Vector = ((x - self.mean) / self.scale) @ self.weights + self.bias
        return result

    def to_json(self) -> dict[str, Any]:
        return {
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "weights": self.weights.tolist(),
            "bias": self.bias,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], width: int) -> Logistic:
        arrays = [np.asarray(data[k], dtype=np.float64) for k in ("mean", "scale", "weights")]
        if any(a.shape != (width,) for a in arrays) or not all(
            np.isfinite(a).all() for a in arrays
        ):
            raise ValueError(f"expected {width} finite numbers per array")
        return cls(arrays[0], arrays[1], arrays[2], float(data["bias"]))


def sigmoid(z: Vector) -> Vector:
    result: Vector = 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))
    return result


def fit_logistic(
    x: Matrix, y: Vector, *, l2: float = 1.0, balanced: bool = False, iterations: int = 30
) -> Logistic:
    """Fit by Newton's method (IRLS) with an L2 penalty; ``balanced`` weighs classes equally."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((x.shape[0], 1))])
    sample_weight = np.ones(len(y))
    if balanced:
        positives = max(float(y.sum()), 1.0)
        negatives = max(float(len(y) - y.sum()), 1.0)
        sample_weight = np.where(y > 0.5, len(y) / (2 * positives), len(y) / (2 * negatives))
    penalty = np.full(z.shape[1], l2)
    penalty[-1] = 0.0
    beta = np.zeros(z.shape[1])
    for _ in range(iterations):
        p = sigmoid(z @ beta)
        gradient = z.T @ (sample_weight * (p - y)) + penalty * beta
        curvature = z.T @ (z * (sample_weight * p * (1 - p))[:, None]) + np.diag(penalty + 1e-9)
        step = np.linalg.solve(curvature, gradient)
        beta -= step
        if float(np.abs(step).max()) < 1e-7:
            break
    return Logistic(mean, scale, beta[:-1].copy(), float(beta[-1]))


def with_text_prior(
    screen: Logistic, features: Matrix, passages: Sequence[slice] | None = None
) -> Matrix:
    """``features`` with one more column: the mean screening score of the word's passage
    (the whole text when ``passages``, slices of the rows, are not given)."""
    prior = np.zeros((features.shape[0], 1))
    if features.shape[0]:
        screened = sigmoid(screen.logit(features))
        for rows in passages or [slice(0, features.shape[0])]:
            prior[rows] = float(screened[rows].mean()) if screened[rows].size else 0.0
    return np.hstack([features, prior])


class DocumentFeatures(NamedTuple):
    """What a whole text looks like to the calibrator, from its word scores."""

    mean_score: float
    top_mean_score: float
    """Mean of the top tenth of the word scores: a few clear swaps in a long text."""
    share_flagged: float
    log_flagged: float
    share_grammar_misfits: float


DOC_FEATURE_NAMES: tuple[str, ...] = DocumentFeatures._fields


@dataclass(slots=True)
class DetectorModel:
    """Everything ``detect`` needs besides the lexicon."""

    screen: Logistic
    word: BoostedTrees
    document: Logistic
    ranker: Logistic
    word_threshold: float
    ngrams: NgramCounts
    spun_at: float = SPUN_AT_LEAST
    """Spin scores from here up are called ``spun``: at least 0.65, and high enough that
    at most about 1% of clean texts reach it (set in training, on texts held out from
    the word model)."""
    info: dict[str, Any] = field(default_factory=dict)
    """Where the model came from (documents, rates, training scores)."""

    def word_logits(self, features: Matrix, passages: Sequence[slice] | None = None) -> Vector:
        """Log-odds that each word (row of ``features``) was swapped in, each judged with
        its own passage (rows ``passages``; default: the whole text)."""
        return self.word.logit(with_text_prior(self.screen, features, passages))

    def save(self, path: Path) -> None:
        data = {
            "format": FORMAT,
            "version": VERSION,
            "features": list(FEATURE_NAMES),
            "doc_features": list(DOC_FEATURE_NAMES),
            "rank_features": list(RANK_FEATURE_NAMES),
            "screen": self.screen.to_json(),
            "word": self.word.to_json(),
            "document": self.document.to_json(),
            "ranker": self.ranker.to_json(),
            "word_threshold": self.word_threshold,
            "spun_at": self.spun_at,
            "info": self.info,
            "unigrams": dict(self.ngrams.unigrams),
            "bigrams": dict(self.ngrams.bigrams),
            "spun_from": {k: [list(p) for p in v] for k, v in self.ngrams.spun_from.items()},
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        with (
            atomic_write(path) as temporary,
            gzip.open(temporary, "wt", encoding="utf-8", compresslevel=9) as stream,
        ):
            json.dump(data, stream, separators=(",", ":"))


def load_model(path: Path | str | None = None) -> DetectorModel:
    """Read a model file (the shipped default when ``path`` is None).

    A missing, unreadable or foreign file raises UnspinError saying how to rebuild it.
    """
    if path is None:
        resource = resources.files("unspin.data").joinpath(DEFAULT_MODEL_NAME)
        where = f"default detection model {resource}"
        try:
            raw = resource.read_bytes()
        except OSError:
            raise UnspinError(f"{where}: missing; {REBUILD_HINT}") from None
    else:
        where = f"detection model {path}"
        try:
            raw = Path(path).read_bytes()
        except FileNotFoundError:
            raise UnspinError(f"{where}: no such file; {REBUILD_HINT}") from None
        except OSError as error:
            raise UnspinError(f"{where}: cannot read ({error.strerror}); {REBUILD_HINT}") from None
    try:
        data = json.loads(gzip.decompress(raw).decode("utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError("not an unspin detection model")
        if data.get("version") != VERSION or data.get("features") != list(FEATURE_NAMES):
            raise ValueError("made by another version of unspin")
        return DetectorModel(
            screen=Logistic.from_json(data["screen"], len(FEATURE_NAMES)),
            word=BoostedTrees.from_json(data["word"], len(FEATURE_NAMES) + 1),
            document=Logistic.from_json(data["document"], len(DOC_FEATURE_NAMES)),
            ranker=Logistic.from_json(data["ranker"], len(RANK_FEATURE_NAMES)),
            word_threshold=float(data["word_threshold"]),
            spun_at=float(data["spun_at"]),
            ngrams=NgramCounts(
                Counter({str(k): int(v) for k, v in data["unigrams"].items()}),
                Counter({str(k): int(v) for k, v in data["bigrams"].items()}),
                {
                    str(k): tuple((str(w), float(p)) for w, p in v)
                    for k, v in data["spun_from"].items()
                },
            ),
            info=dict(data.get("info", {})),
        )
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UnspinError(f"{where}: corrupt ({error}); {REBUILD_HINT}") from None
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        reason = str(error) if isinstance(error, ValueError) else f"missing or bad field {error}"
        raise UnspinError(f"{where}: unusable ({reason}); {REBUILD_HINT}") from None

"""Small gradient-boosted decision trees for binary labels, in numpy.

The word classifier needs interactions a linear model cannot express (a rare
word is suspicious only when it has a common synonym; a missing bigram matters
only when the corpus is large enough to have seen it). Trees of depth 4 over
features cut at quantiles (histogram boosting, as in LightGBM) learn those in
seconds on a few hundred thousand words, and predict with a few array lookups.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float64]
Vector = npt.NDArray[np.float64]

_BINS = 32


@dataclass(slots=True)
class BoostedTrees:
    """Complete binary trees of equal depth; node ``n``'s children are ``2n+1`` and ``2n+2``.

    ``features``/``thresholds`` have one row per tree and one column per internal
    node (``x[feature] >= threshold`` goes right); ``leaves`` one column per leaf.
    """

    depth: int
    base: float
    features: npt.NDArray[np.int64]
    thresholds: Matrix
    leaves: Matrix

    def logit(self, x: Matrix) -> Vector:
        """Raw scores (log-odds) of the rows of ``x``."""
        total = np.full(x.shape[0], self.base)
        rows = np.arange(x.shape[0])
        internal = (1 << self.depth) - 1
        for tree in range(self.features.shape[0]):
            node = np.zeros(x.shape[0], dtype=np.int64)
            for _ in range(self.depth):
                feature = self.features[tree, node]
                right = x[rows, feature] >= self.thresholds[tree, node]
                node = 2 * node + 1 + right
            total += self.leaves[tree, node - internal]
        return total

    def to_json(self) -> dict[str, Any]:
        return {
            "depth": self.depth,
            "base": self.base,
            "features": self.features.tolist(),
            "thresholds": self.thresholds.tolist(),
            "leaves": self.leaves.tolist(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], width: int) -> BoostedTrees:
        depth = int(data["depth"])
        features = np.asarray(data["features"], dtype=np.int64)
        thresholds = np.asarray(data["thresholds"], dtype=np.float64)
        leaves = np.asarray(data["leaves"], dtype=np.float64)
        trees = features.shape[0]
        if (
            not 1 <= depth <= 8
            or features.shape != (trees, (1 << depth) - 1)
            or thresholds.shape != features.shape
            or leaves.shape != (trees, 1 << depth)
            or (features.size and (features.min() < 0 or features.max() >= width))
            or not np.isfinite(leaves).all()
        ):
            raise ValueError("malformed trees")
        return cls(depth, float(data["base"]), features, thresholds, leaves)


def fit_trees(
    x: Matrix,
    y: Vector,
    *,
    trees: int = 120,
    depth: int = 4,
    learning_rate: float = 0.2,
    l2: float = 5.0,
    min_hessian: float = 5.0,
) -> BoostedTrees:
    """Fit logistic-loss boosted trees to labels ``y`` in {0, 1}."""
    n, width = x.shape
    edges = [
        np.unique(np.quantile(x[:, j], np.linspace(0, 1, _BINS + 1)[1:-1])) for j in range(width)
    ]
    binned = np.stack(
        [np.searchsorted(edges[j], x[:, j], side="right") for j in range(width)], axis=1
    )
    positive = float(np.clip(y.mean(), 1e-6, 1 - 1e-6))
    base = float(np.log(positive / (1 - positive)))
    raw = np.full(n, base)
    internal = (1 << depth) - 1
    all_features = np.zeros((trees, internal), dtype=np.int64)
    all_thresholds = np.full((trees, internal), np.inf)
    all_leaves = np.zeros((trees, 1 << depth))
    for tree in range(trees):
        p = 1.0 / (1.0 + np.exp(-raw))
        gradient = p - y
        hessian = p * (1 - p)
        node = np.zeros(n, dtype=np.int64)
        for level in range(depth):
            first = (1 << level) - 1
            count = 1 << level
            local = node - first
            best_gain = np.zeros(count)
            best_feature = np.zeros(count, dtype=np.int64)
            best_bin = np.full(count, -1)
            for j in range(width):
                key = local * _BINS + binned[:, j]
                g = np.bincount(key, gradient, minlength=count * _BINS).reshape(count, _BINS)
                h = np.bincount(key, hessian, minlength=count * _BINS).reshape(count, _BINS)
                g_left, h_left = np.cumsum(g, axis=1)[:, :-1], np.cumsum(h, axis=1)[:, :-1]
                g_total, h_total = g.sum(axis=1, keepdims=True), h.sum(axis=1, keepdims=True)
                g_right, h_right = g_total - g_left, h_total - h_left
                gain = (
                    g_left**2 / (h_left + l2)
                    + g_right**2 / (h_right + l2)
                    - g_total**2 / (h_total + l2)
                )
                gain[(h_left < min_hessian) | (h_right < min_hessian)] = 0.0
                split = np.argmax(gain, axis=1)
                found = gain[np.arange(count), split]
                better = found > best_gain
                best_gain[better] = found[better]
                best_feature[better] = j
                best_bin[better] = split[better]
            for i in range(count):
                feature = int(best_feature[i])
                all_features[tree, first + i] = feature
                if best_bin[i] >= 0 and len(edges[feature]) > best_bin[i]:
                    all_thresholds[tree, first + i] = edges[feature][best_bin[i]]
            chosen = best_feature[local]
            cut = best_bin[local]
            go_right = (binned[np.arange(n), chosen] > cut) & (cut >= 0)
            node = 2 * node + 1 + go_right
        leaf = node - internal
        g_leaf = np.bincount(leaf, gradient, minlength=1 << depth)
        h_leaf = np.bincount(leaf, hessian, minlength=1 << depth)
        values = -learning_rate * g_leaf / (h_leaf + l2)
        all_leaves[tree] = values
        raw += values[leaf]
    return BoostedTrees(depth, base, all_features, all_thresholds, all_leaves)

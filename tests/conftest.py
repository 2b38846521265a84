"""Shared fixtures: the bundled sample archive, indexed once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from unspin import Index
from unspin.io import BadRecord, read_documents
from unspin.model import Document

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


@pytest.fixture(scope="session")
def sample_documents() -> list[Document]:
    documents = [d for d in read_documents([SAMPLES / "archive"]) if not isinstance(d, BadRecord)]
    assert len(documents) >= 48
    return documents


@pytest.fixture(scope="session")
def sample_index(
    tmp_path_factory: pytest.TempPathFactory, sample_documents: list[Document]
) -> Index:
    index = Index(tmp_path_factory.mktemp("index") / "archive.db")
    index.add(sample_documents, workers=1)
    return index

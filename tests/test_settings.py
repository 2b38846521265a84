"""CheckSettings: the thresholds an Index is given reach every stage, and results report them."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from unspin import CheckSettings, Document, Index, UnspinError
from unspin.index import ArchiveIndex, IndexLayout

from .conftest import SAMPLES

PASSPORT_ID = "coastal-wire/actor-russian-passport.txt"
SPUN = (SAMPLES / "suspects/handmade/actor-passport-spun.txt").read_text("utf-8")


@pytest.fixture(scope="module")
def small_archive(
    tmp_path_factory: pytest.TempPathFactory, sample_documents: list[Document]
) -> Path:
    chosen = [d for d in sample_documents if d.id == PASSPORT_ID] + sample_documents[:4]
    path = tmp_path_factory.mktemp("settings") / "archive.db"
    with Index(path) as index:
        index.add(chosen, workers=1)
    return path


def test_an_index_checks_with_the_settings_it_was_given(small_archive: Path) -> None:
    with Index(small_archive, create=False) as index:
        assert index.check(SPUN).verdict == "spun"
    strict = CheckSettings(min_copied_words=10_000)
    with Index(small_archive, create=False, settings=strict) as index:
        result = index.check(SPUN)
    assert result.verdict not in ("verbatim", "spun", "partial")


def test_provenance_reports_every_setting(small_archive: Path) -> None:
    settings = CheckSettings(partial_below=0.5, max_sources=7)
    with Index(small_archive, create=False, settings=settings) as index:
        provenance = index.check(SPUN, candidates=3).provenance
    assert provenance is not None
    for field in dataclasses.fields(CheckSettings):
        assert provenance.settings[field.name] == getattr(settings, field.name)
    assert provenance.settings["candidates"] == 3


def test_max_df_above_what_the_index_keeps_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UnspinError, match=r"max_df 100000 is above the index's common_df 256"):
        Index(tmp_path / "a.db", settings=CheckSettings(max_df=100_000))
    # An index built to drop postings sooner holds checks to its own common_df.
    ArchiveIndex(tmp_path / "b.db", layout=IndexLayout(common_df=12)).close()
    with pytest.raises(UnspinError, match=r"max_df 256 is above the index's common_df 12"):
        Index(tmp_path / "b.db")
    with Index(tmp_path / "b.db", settings=CheckSettings(max_df=12)) as index:
        assert index.check("Nothing is indexed yet.").matches == []


def test_settings_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        CheckSettings().max_df = 3  # type: ignore[misc]

"""Retrieval on its own, against an in-memory archive of postings (a fake PostingsSource).

Fingerprints here are plain numbers: which edition groups hold each one is
all that retrieval reads, and each test says so directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from unspin import Document, Index
from unspin.fingerprint import Fingerprints, Holders
from unspin.index import ArchiveIndex
from unspin.retrieve import Candidate, fuse, retrieve_by_fingerprints
from unspin.settings import CheckSettings

DEFAULTS = CheckSettings()


class Postings:
    """An in-memory archive: the edition groups holding each fingerprint."""

    def __init__(self, holders: dict[int, list[int]], editions: int = 10_000) -> None:
        self.holders = holders
        self.edition_count = editions
        self.asked_max_df: list[int] = []

    def postings(self, hashes: Iterable[int], *, max_df: int) -> Holders:
        self.asked_max_df.append(max_df)
        held = {v: self.holders[v] for v in hashes if self.holders.get(v)}
        few = {v: groups for v, groups in held.items() if len(groups) <= max_df}
        return Holders(
            np.fromiter(few, dtype=np.int64, count=len(few)),
            np.array([len(groups) for groups in few.values()], dtype=np.int64),
            np.array([g for groups in few.values() for g in groups], dtype=np.int64),
            np.array([v for v in held if v not in few], dtype=np.int64),
        )

    def editions(self) -> int:
        return self.edition_count


def holding(*shares: tuple[int, range]) -> dict[int, list[int]]:
    """Postings where each (edition, fingerprints) pair says which fingerprints it holds."""
    holders: dict[int, list[int]] = {}
    for edition, fingerprints in shares:
        for value in fingerprints:
            holders.setdefault(value, []).append(edition)
    return holders


def suspect(values: Iterable[int]) -> Fingerprints:
    hashes = np.array(list(values), dtype=np.int64)
    positions = np.arange(hashes.size, dtype=np.int32)
    return Fingerprints(hashes, positions, positions + 5)


def find_candidates(
    archive: Postings, fingerprints: Fingerprints, **options: Any
) -> list[Candidate]:
    return retrieve_by_fingerprints(archive, fingerprints, **options).candidates


def editions(found: list[Candidate]) -> list[int]:
    return [c.edition for c in found]


def test_rare_shared_fingerprints_outweigh_common_ones() -> None:
    # Edition 1 shares 20 fingerprints no one else holds; edition 2 shares 30
    # that 40 other stories hold too.
    crowd = [(e, range(100, 130)) for e in range(1000, 1040)]
    archive = Postings(holding((1, range(20)), (2, range(100, 130)), *crowd))
    found = find_candidates(archive, suspect([*range(20), *range(100, 130)]), settings=DEFAULTS)
    assert editions(found)[0] == 1


def test_fingerprints_in_more_than_max_df_stories_are_no_evidence() -> None:
    everywhere = [(e, range(40)) for e in range(DEFAULTS.max_df + 1)]
    archive = Postings(holding(*everywhere))
    assert find_candidates(archive, suspect(range(40)), settings=DEFAULTS) == []
    assert archive.asked_max_df == [DEFAULTS.max_df]
    wider = replace(DEFAULTS, max_df=DEFAULTS.max_df + 1)
    assert find_candidates(archive, suspect(range(40)), settings=wider, limit=3)


def test_each_source_of_a_stitched_copy_is_found_before_a_reprint_of_the_first() -> None:
    # Edition 1 explains the first half, edition 3 is part of the same text
    # (it scores above edition 2), edition 2 alone explains the second half.
    archive = Postings(holding((1, range(30)), (3, range(25)), (2, range(30, 45))))
    found = find_candidates(archive, suspect(range(45)), settings=DEFAULTS, limit=2)
    assert editions(found) == [1, 2]


def test_copies_only_asks_for_copy_min_shared_fingerprints() -> None:
    few = DEFAULTS.copy_min_shared - 1
    archive = Postings(holding((1, range(60)), (2, range(few))))
    fingerprints = suspect(range(60))
    assert editions(find_candidates(archive, fingerprints, settings=DEFAULTS)) == [1, 2]
    only = find_candidates(archive, fingerprints, settings=DEFAULTS, copies_only=True)
    assert editions(only) == [1]


def test_short_suspects_get_a_lower_bar() -> None:
    archive = Postings(holding((1, range(2))))
    found = find_candidates(archive, suspect(range(12)), settings=DEFAULTS, copies_only=True)
    assert editions(found) == [1]


def test_weak_candidates_are_few() -> None:
    """Candidates too weak to hold a copied passage can only be retellings: only the
    first ``weak_candidates`` of them are kept."""
    weak = [(e, range(3 * e, 3 * e + 3)) for e in range(1, 7)]
    archive = Postings(holding((100, range(200, 260)), *weak))
    fingerprints = suspect([*range(200, 260), *range(3, 21)])
    found = editions(find_candidates(archive, fingerprints, settings=DEFAULTS, limit=6))
    assert found[0] == 100 and len(found) == 1 + DEFAULTS.weak_candidates
    more = replace(DEFAULTS, weak_candidates=4)
    assert len(find_candidates(archive, fingerprints, settings=more, limit=6)) == 5


def test_no_shared_fingerprint_no_candidate() -> None:
    archive = Postings(holding((1, range(10))))
    assert find_candidates(archive, suspect(range(50, 80)), settings=DEFAULTS) == []
    assert find_candidates(archive, suspect([]), settings=DEFAULTS) == []


# --- the lexical channel and its fusion with fingerprints (issue 13) -----------------------


def test_fusion_keeps_every_fingerprint_candidate_and_adds_the_lexical_best() -> None:
    fingerprinted = [Candidate(1, 50.0, 40), Candidate(2, 10.0, 8)]
    lexical = [(3, 40.0, 12), (2, 30.0, 9), (4, 20.0, 6), (5, 15.0, 5), (6, 9.0, 2)]
    fused = fuse(fingerprinted, lexical, settings=replace(DEFAULTS, lexical_candidates=2))
    # 2 is ranked by both channels, so it comes first; 3 and 4 are the lexical
    # channel's best additions; 5 is one too many and 6 shares too few rare words.
    assert editions(fused) == [2, 1, 3, 4]
    assert [c.terms for c in fused] == [9, 0, 12, 6]
    assert fused[2] == Candidate(3, 0.0, 0, 12)


def test_novel_share_counts_fingerprints_no_story_holds_among_those_that_count() -> None:
    # 0-29 held by edition 1; 30-39 too common to count (in 300 stories); 40-49 in none.
    crowd = [(e, range(30, 40)) for e in range(1000, 1300)]
    archive = Postings(holding((1, range(30)), *crowd))
    found = retrieve_by_fingerprints(archive, suspect(range(50)), settings=DEFAULTS)
    assert editions(found.candidates)[0] == 1
    assert found.novel == pytest.approx(10 / 40)
    assert retrieve_by_fingerprints(archive, suspect(range(40, 60)), settings=DEFAULTS).novel == 1
    assert retrieve_by_fingerprints(archive, suspect([]), settings=DEFAULTS).novel == 0


def test_the_lexical_channel_is_asked_only_for_text_new_to_the_archive(tmp_path: Path) -> None:
    source = (
        "Harbourmaster Ilse Varkonen closed the Quellbay marina on Tuesday after 14 moorings "
        "broke loose in the gale, and said repairs would take until the spring. The Quellbay "
        "council will meet on Friday to decide who pays for the damage to the pontoons. "
        "Boat owners have asked for a refund of this year's mooring fees of 1,250 crowns."
    )
    rewrite = (
        "A gale tore 14 boats from their moorings at Quellbay, and on Tuesday Varkonen, the "
        "harbourmaster, shut the marina down until spring repairs are done. Who pays for the "
        "ruined pontoons is for councillors to settle on Friday, while owners want their "
        "1,250-crown fees for the year back."
    )
    with Index(tmp_path / "archive.db") as index:
        index.add([Document("source", source)], workers=1)
        asked: list[int] = []
        rare_terms = index._archive.rare_terms

        def counted(*args: Any, **kwargs: Any) -> list[tuple[int, float, int]]:
            asked.append(1)
            return rare_terms(*args, **kwargs)

        index._archive.rare_terms = counted  # type: ignore[method-assign]
        assert index.check(source).verdict == "verbatim" and asked == []
        index.check(rewrite)  # shares names and numbers, hardly a fingerprint
        assert asked == [1]


def test_fusion_without_lexical_evidence_is_the_fingerprint_ranking() -> None:
    fingerprinted = [Candidate(7, 9.0, 9), Candidate(3, 8.0, 8), Candidate(5, 1.0, 2)]
    assert fuse(fingerprinted, [], settings=DEFAULTS) == fingerprinted


def test_lexical_channel_finds_the_source_of_a_rewrite_that_shares_no_fingerprint(
    tmp_path: Path,
) -> None:
    source = (
        "Harbourmaster Ilse Varkonen closed the Quellbay marina on Tuesday after 14 "
        "moorings broke loose in the gale. The Quellbay council will meet on Friday."
    )
    other = (
        "The Drummore library reopened on Monday with 3,000 new books and a cafe run by "
        "volunteers from the Drummore reading circle."
    )
    rewrite = (
        "A gale tore 14 boats from their moorings at Quellbay, and on Tuesday "
        "Varkonen, the harbourmaster, shut the marina down; councillors meet Friday."
    )
    with ArchiveIndex(tmp_path / "archive.db") as archive:
        archive.add([Document("other", other), Document("source", source)], workers=1)
        words = sorted(set(rewrite.replace(",", " ").replace(".", " ").split()), key=len)[::-1]
        found = archive.rare_terms(words, terms=30, max_df=1000, limit=5)
        assert found, "the rare words must find a story"
        best_edition, weight, words = found[0]
        assert archive.edition(best_edition)[0].id == "source"
    assert words >= 4 and weight > 0
    assert [edition for edition, _, _ in found].count(best_edition) == 1


def test_remembered_rare_words_follow_writes_by_this_and_other_connections(
    tmp_path: Path,
) -> None:
    # The lexical channel remembers which documents hold each word between checks;
    # a document added since, here or by another connection, must still be found.
    def holders(archive: ArchiveIndex, word: str) -> set[str]:
        found = archive.rare_terms([word], terms=1, max_df=10, limit=10)
        return {archive.edition(edition)[0].id for edition, _, _ in found}

    path = tmp_path / "archive.db"
    texts = {n: f"Report {n} on the Quellbay zorvantine harvest, number {n}." for n in range(12)}
    with ArchiveIndex(path) as reader, ArchiveIndex(path) as writer:
        writer.add([Document("d0", texts[0])], workers=1)
        assert holders(reader, "zorvantine") == {"d0"}
        reader.add([Document("d1", texts[1])], workers=1)  # a write by the same connection
        assert holders(reader, "zorvantine") == {"d0", "d1"}
        writer.add([Document(f"d{n}", texts[n]) for n in range(2, 11)], workers=1)
        assert holders(reader, "zorvantine") == set()  # now in 11 documents: too common


def test_a_source_newer_than_its_copy_is_not_named(tmp_path: Path) -> None:
    text = (
        "Harbourmaster Ilse Varkonen closed the Quellbay marina on Tuesday after 14 moorings "
        "broke loose in the gale, and said repairs would take until the spring. The Quellbay "
        "council will meet on Friday to decide who pays for the damage to the pontoons. "
        "Boat owners have asked for a refund of this year's mooring fees of 1,250 crowns."
    )
    with Index(tmp_path / "archive.db") as index:
        index.add([Document("later", text, published="2026-03-02")], workers=1)
        assert index.check(Document("q", text, published="2026-03-05")).verdict == "verbatim"
        assert index.check(Document("q", text)).verdict == "verbatim"
        assert index.check(Document("q", text, published="2026-03-01")).matches == []

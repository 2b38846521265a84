"""Fingerprints survive content-word swaps and disguise, but not a different text."""

from __future__ import annotations

from unspin.fingerprint import fingerprint, immutable_items
from unspin.normalize import tokenize

ORIGINAL = (
    "Putin showed the Hollywood actor where to sign, and the two men agreed it must be an "
    "absolutely depoliticised act. The star became a tax exile in anger over rate hikes in 2012."
)
SPUN = (
    "Putin presented the Hollywood star where to sign, and the two men concurred it must be an "
    "perfectly depoliticised act. The starring became a taxation exile in ire over rate hikes "
    "in 2012."
)
OTHER = (
    "The council voted on Tuesday to close the harbour bridge for repairs, a decision that "
    "angered commuters who had waited for months to hear the plan in full."
)


def hashes(text: str) -> set[int]:
    return set(fingerprint(text, tokenize(text)).hashes.tolist())


def test_projection_keeps_immutables_and_collapses_content_runs() -> None:
    text = "Putin showed the Hollywood actor where to sign"
    items, origins = immutable_items(text, tokenize(text))
    assert items == ["_", "the", "@hllwd", "_", "where", "to", "_"]
    assert origins == [0, 2, 3, 4, 5, 6, 7]


def test_synonym_swaps_leave_fingerprints_intact() -> None:
    assert hashes(ORIGINAL) == hashes(SPUN)


def test_homoglyphs_and_lost_letters_leave_fingerprints_intact() -> None:
    disguised = ORIGINAL.replace("Hollywood", "Hоllywооd").replace("the two", "thе two")
    assert hashes(disguised) == hashes(ORIGINAL)
    assert hashes("Then Gérard met the mayor of Sochi") == hashes(
        "Then Grard met the mayor of Sochi"
    )


def test_unrelated_text_shares_little() -> None:
    shared = hashes(ORIGINAL) & hashes(OTHER)
    assert len(shared) <= 1


def test_positions_map_back_to_tokens() -> None:
    prints = fingerprint(ORIGINAL, tokenize(ORIGINAL))
    assert len(prints.hashes) == len(prints.token_index) == len(prints.token_end)
    assert all(a < b for a, b in zip(prints.token_index, prints.token_end, strict=True))


def test_short_and_empty_texts() -> None:
    assert fingerprint("", []).hashes.size == 0
    assert fingerprint("Hello there", tokenize("Hello there")).hashes.size == 1

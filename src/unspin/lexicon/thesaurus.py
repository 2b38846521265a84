"""Readers for the two thesauri: LibreOffice's MyThes (en_US v2) and Moby."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

MYTHES_POS: dict[str, str] = {"(noun)": "NOUN", "(verb)": "VERB", "(adj)": "ADJ", "(adv)": "ADV"}


def read_mythes(path: Path) -> Iterator[tuple[str, str, str]]:
    """Yield (headword, synonym, upos) from a MyThes ``.dat`` file.

    Only plain terms (synset co-members) and "(similar term)" entries are synonyms;
    "(generic term)" is a hypernym, "(related term)" a loose association and
    "(antonym)" the opposite, so those are skipped.
    """
    with path.open("rb") as raw:
        encoding = raw.readline().decode("ascii").strip() or "UTF-8"
    with path.open(encoding=encoding, errors="replace") as handle:
        handle.readline()
        head = ""
        for line in handle:
            line = line.rstrip("\n")
            if not line.startswith("("):
                head = line.split("|", 1)[0].lower()
                continue
            pos_field, *terms = line.split("|")
            upos = MYTHES_POS.get(pos_field, "")
            for term in terms:
                if term.endswith(")"):
                    if not term.endswith(" (similar term)"):
                        continue
                    term = term[: -len(" (similar term)")]
                term = term.lower()
                if term and term != head:
                    yield head, term, upos


def read_moby(path: Path) -> Iterator[tuple[str, list[str]]]:
    """Yield (root, synonyms) per line of Moby's comma-separated ``words.txt``."""
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            root, *synonyms = line.rstrip("\n").lower().split(",")
            if root and synonyms:
                yield root, [s for s in synonyms if s and s != root]

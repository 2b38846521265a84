"""A small reader for the WordNet 3.0 ``data.*`` files (no nltk).

Only what the lexicon needs is kept: each synset's lemmas, and the pointers
that link synsets (similar-to) or single lemmas (derivation, pertainym, antonym).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# WordNet file suffix -> universal POS tag used across unspin.
FILES: dict[str, str] = {"noun": "NOUN", "verb": "VERB", "adj": "ADJ", "adv": "ADV"}
# Satellite adjectives ("s") are adjectives for every purpose here.
SS_TYPE_POS: dict[str, str] = {"n": "NOUN", "v": "VERB", "a": "ADJ", "s": "ADJ", "r": "ADV"}

# Pointer symbols kept. Derivation ("+") and pertainym ("\\", perfectly -> perfect)
# are morphological relatives; "&" links similar adjective synsets; "!" antonyms
# are kept so that vector similarity never calls an antonym a synonym.
DERIVATION = frozenset({"+", "\\"})
SIMILAR = "&"
ANTONYM = "!"
KEPT_POINTERS = DERIVATION | {SIMILAR, ANTONYM}
# Hypernym and instance hypernym ("Hollywood" is an instance of "city").
HYPERNYM_POINTERS = frozenset({"@", "@i"})


@dataclass(frozen=True)
class Pointer:
    """A link from (a lemma of) one synset to (a lemma of) another."""

    symbol: str
    target: tuple[str, int]  # (pos letter of the target file, byte offset)
    source_word: int  # 1-based lemma index in the source synset, 0 = whole synset
    target_word: int


@dataclass(frozen=True)
class Synset:
    """One WordNet synset: its key, POS, lemmas (lowercase, spaces) and kept pointers."""

    key: tuple[str, int]
    pos: str
    lemmas: tuple[str, ...]
    pointers: tuple[Pointer, ...]
    hypernyms: tuple[tuple[str, int], ...]  # class and instance hypernyms
    class_hypernyms: tuple[tuple[str, int], ...]  # class hypernyms only (star -> actor)


def clean_lemma(raw: str) -> str:
    """WordNet spelling -> plain lowercase words: ``Take_part(a)`` -> ``take part``."""
    if raw.endswith(")"):
        # Adjective position markers: (a), (p), (ip).
        raw = raw[: raw.rfind("(")]
    return raw.replace("_", " ").lower()


def _file_letter(ss_type: str) -> str:
    # Satellites live in data.adj, whose pointers name them with "a" or "s".
    return "a" if ss_type == "s" else ss_type


def read_synsets(wordnet_dir: Path) -> Iterator[Synset]:
    """Yield every synset of the four ``data.*`` files in file order."""
    for name in FILES:
        with (wordnet_dir / f"data.{name}").open(encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("  "):
                    continue  # licence header
                yield _parse_line(line)


def _parse_line(line: str) -> Synset:
    fields = line.split(" | ", 1)[0].split()
    offset, ss_type = int(fields[0]), fields[2]
    w_cnt = int(fields[3], 16)
    lemmas = tuple(clean_lemma(fields[4 + 2 * i]) for i in range(w_cnt))
    at = 4 + 2 * w_cnt
    p_cnt = int(fields[at])
    pointers: list[Pointer] = []
    hypernyms: list[tuple[str, tuple[str, int]]] = []
    for i in range(p_cnt):
        symbol, target, target_ss, source_target = fields[at + 1 + 4 * i : at + 5 + 4 * i]
        if symbol in HYPERNYM_POINTERS:
            hypernyms.append((symbol, (_file_letter(target_ss), int(target))))
        elif symbol in KEPT_POINTERS:
            pointers.append(
                Pointer(
                    symbol=symbol,
                    target=(_file_letter(target_ss), int(target)),
                    source_word=int(source_target[:2], 16),
                    target_word=int(source_target[2:], 16),
                )
            )
    return Synset(
        key=(_file_letter(ss_type), offset),
        pos=SS_TYPE_POS[ss_type],
        lemmas=lemmas,
        pointers=tuple(pointers),
        hypernyms=tuple(key for _, key in hypernyms),
        class_hypernyms=tuple(key for symbol, key in hypernyms if symbol == "@"),
    )

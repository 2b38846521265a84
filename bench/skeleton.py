"""Sentence skeletons: how formulaic is a corpus?

A skeleton keeps a sentence's function words, names, numbers and punctuation
and blanks every content word to ``_``. Template-generated text repeats its
skeletons; real news almost never does. The *strict* skeleton also blanks
names and numbers (to ``N`` and ``0``), so fresh names cannot hide a repeated
template.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "some",
        "any",
        "no",
        "every",
        "each",
        "either",
        "neither",
        "both",
        "all",
        "most",
        "many",
        "much",
        "more",
        "less",
        "few",
        "fewer",
        "several",
        "such",
        "other",
        "another",
        "own",
        "same",
        "what",
        "which",
        "whose",
        "whatever",
        "whichever",
        "i",
        "me",
        "my",
        "mine",
        "we",
        "us",
        "our",
        "ours",
        "you",
        "your",
        "yours",
        "he",
        "him",
        "his",
        "she",
        "her",
        "hers",
        "it",
        "its",
        "they",
        "them",
        "their",
        "theirs",
        "who",
        "whom",
        "myself",
        "ourselves",
        "yourself",
        "himself",
        "herself",
        "itself",
        "themselves",
        "one",
        "ones",
        "of",
        "in",
        "on",
        "at",
        "for",
        "with",
        "from",
        "by",
        "about",
        "after",
        "before",
        "during",
        "over",
        "under",
        "between",
        "against",
        "across",
        "through",
        "without",
        "despite",
        "towards",
        "toward",
        "near",
        "beyond",
        "within",
        "among",
        "behind",
        "around",
        "into",
        "onto",
        "alongside",
        "amid",
        "like",
        "to",
        "up",
        "down",
        "out",
        "off",
        "than",
        "as",
        "via",
        "per",
        "since",
        "until",
        "till",
        "upon",
        "along",
        "past",
        "and",
        "or",
        "but",
        "nor",
        "yet",
        "so",
        "if",
        "because",
        "although",
        "though",
        "while",
        "whereas",
        "unless",
        "once",
        "when",
        "whenever",
        "where",
        "wherever",
        "why",
        "how",
        "whether",
        "that",
        "than",
        "then",
        "there",
        "here",
        "be",
        "am",
        "is",
        "are",
        "was",
        "were",
        "been",
        "being",
        "have",
        "has",
        "had",
        "having",
        "do",
        "does",
        "did",
        "doing",
        "done",
        "will",
        "would",
        "shall",
        "should",
        "can",
        "could",
        "may",
        "might",
        "must",
        "ought",
        "not",
        "no",
        "never",
        "also",
        "still",
        "already",
        "now",
        "only",
        "even",
        "just",
        "again",
        "often",
        "very",
        "too",
        "quite",
        "rather",
        "always",
        "sometimes",
        "however",
        "meanwhile",
        "instead",
        "indeed",
    ]
)

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”]?\s+|\n\s*\n")
_TOKEN = re.compile(r"\w+(?:[-'’.:,]\w+)*|[^\w\s]")


def sentences(text: str) -> list[str]:
    """Split text into sentences (good enough for generated news text)."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def skeleton(sentence: str, strict: bool = False) -> str:
    """The sentence with content words blanked to ``_`` (names/numbers too if strict)."""
    out: list[str] = []
    for i, token in enumerate(_TOKEN.findall(sentence)):
        lower = token.lower()
        if lower in FUNCTION_WORDS:
            out.append(lower)
        elif any(ch.isdigit() for ch in token):
            out.append("0" if strict else token)
        elif not token[0].isalnum():
            out.append(token)
        elif token[0].isupper() and i > 0 and out[-1] not in {"“", '"'}:
            out.append("N" if strict else token)
        else:
            out.append("_")
    return " ".join(out)


@dataclass(frozen=True, slots=True)
class SkeletonStats:
    """How many sentences a corpus has and what share of their skeletons are distinct."""

    sentences: int
    distinct: float
    """Distinct skeletons / sentences, names and numbers kept."""
    distinct_strict: float
    """The same with names and numbers blanked too."""


def skeleton_stats(texts: Iterable[str]) -> SkeletonStats:
    """Measure skeleton diversity over the sentences of ``texts``."""
    loose: set[str] = set()
    strict: set[str] = set()
    count = 0
    for text in texts:
        for sentence in sentences(text):
            count += 1
            loose.add(skeleton(sentence))
            strict.add(skeleton(sentence, strict=True))
    if count == 0:
        return SkeletonStats(0, 0.0, 0.0)
    return SkeletonStats(count, len(loose) / count, len(strict) / count)

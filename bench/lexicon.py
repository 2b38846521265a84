"""Content words for the synthetic corpus: WordNet 3.0 lemmas weighted by real frequency.

The retrieval under test keys on function words, names and numbers, so the
content words around them must look like real English in bulk: many distinct
lemmas, with frequent words dominating as they do in news text. WordNet
supplies the lemmas by part of speech (and, for verbs, which sentence frames
they take); ``wordfreq`` supplies how common each one is.
"""

from __future__ import annotations

import bisect
import math
import random
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import wordfreq
from lemminflect import getInflection, getLemma

WORDNET_DIR = Path("/usr/share/wordnet")

# Words a grammar handles itself (auxiliaries, determiners, numbers) or that
# WordNet lists as nouns/verbs but that real text uses as function words; drawn
# as content words they would dominate by frequency and read as noise.
_EXCLUDED = frozenset(
    [
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "and",
        "any",
        "are",
        "around",
        "away",
        "back",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "can",
        "cannot",
        "could",
        "did",
        "does",
        "doing",
        "done",
        "down",
        "during",
        "each",
        "either",
        "else",
        "even",
        "ever",
        "every",
        "few",
        "for",
        "from",
        "had",
        "has",
        "have",
        "having",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "however",
        "into",
        "its",
        "just",
        "least",
        "less",
        "like",
        "little",
        "many",
        "may",
        "might",
        "more",
        "most",
        "much",
        "must",
        "near",
        "neither",
        "never",
        "next",
        "none",
        "nor",
        "not",
        "now",
        "off",
        "once",
        "one",
        "only",
        "other",
        "ought",
        "our",
        "out",
        "over",
        "own",
        "per",
        "rather",
        "same",
        "shall",
        "she",
        "should",
        "since",
        "some",
        "still",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "though",
        "through",
        "thus",
        "too",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "under",
        "until",
        "upon",
        "very",
        "was",
        "were",
        "what",
        "whatever",
        "when",
        "where",
        "whether",
        "which",
        "while",
        "who",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "yet",
        "you",
        "your",
        "yes",
        "okay",
        "get",
        "got",
        "gotten",
        "say",
        "said",
        "tell",
        "told",
        "make",
        "made",
        "let",
        "lets",
        "ask",
        "asked",
        "seem",
        "seems",
        "become",
        "became",
        "well",
        "way",
        "thing",
        "things",
        "lot",
        "lots",
        "kind",
        "sort",
        "bit",
        "stuff",
        "john",
        "today",
        "tonight",
        "tomorrow",
        "yesterday",
        "another",
    ]
)

_WORD = re.compile(r"^[a-z]{3,}$")
_ADJ_MARKER = re.compile(r"\([a-z]+\)$")

# WordNet verb frame numbers (see wninput(5WN)).
_TRANSITIVE_FRAMES = frozenset({8, 9, 10, 11, 14, 15, 16, 17, 18, 19, 20, 21, 31})
_INTRANSITIVE_FRAMES = frozenset({1, 2, 22})
_THAT_CLAUSE_FRAMES = frozenset({26})
_TO_INFINITIVE_FRAMES = frozenset({28, 32})

MIN_ZIPF = 2.6
"""Rarer lemmas read as obscure jargon in bulk; real news rarely uses them."""
MAX_ZIPF = 5.9
"""Caps the handful of lemmas whose frequency comes from another part of speech."""


@dataclass(frozen=True, slots=True)
class WeightedWords:
    """Lemmas with cumulative weights, for O(log n) frequency-weighted draws."""

    words: tuple[str, ...]
    cumulative: tuple[float, ...]

    def pick(self, rng: random.Random) -> str:
        """Draw one lemma, more frequent lemmas more often."""
        x = rng.random() * self.cumulative[-1]
        return self.words[bisect.bisect_right(self.cumulative, x)]

    def __len__(self) -> int:
        return len(self.words)


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Content-word pools by part of speech (and verb frame)."""

    nouns: WeightedWords
    adjectives: WeightedWords
    adverbs: WeightedWords
    transitive_verbs: WeightedWords
    intransitive_verbs: WeightedWords
    clause_verbs: WeightedWords
    """Verbs that take a that-clause (``argue that ...``)."""
    infinitive_verbs: WeightedWords
    """Verbs that take a to-infinitive (``plan to ...``)."""


_SS_TYPES = {"1": "noun", "2": "verb", "3": "adj", "4": "adv", "5": "adj"}


@dataclass(frozen=True, slots=True)
class _Synset:
    words: tuple[str, ...]
    """Lemmas as WordNet writes them (capitalised for proper nouns)."""
    frames: frozenset[int]


def _read_synsets(pos: str) -> dict[str, _Synset]:
    """Synsets of one part of speech by offset, with verb frames for verbs."""
    synsets: dict[str, _Synset] = {}
    with (WORDNET_DIR / f"data.{pos}").open(encoding="latin-1") as handle:
        for line in handle:
            if line.startswith("  "):
                continue  # licence header
            parts = line.split(" ")
            count = int(parts[3], 16)
            words = tuple(_ADJ_MARKER.sub("", parts[4 + 2 * i]) for i in range(count))
            frames: frozenset[int] = frozenset()
            if pos == "verb":
                at = 4 + 2 * count
                at += 1 + 4 * int(parts[at])
                frames = frozenset(int(parts[at + 2 + 3 * i]) for i in range(int(parts[at])))
            synsets[parts[0]] = _Synset(words, frames)
    return synsets


def _sense_counts() -> tuple[dict[str, dict[str, int]], dict[frozenset[int], dict[str, int]]]:
    """How often each lemma was tagged in SemCor, per part of speech and per verb frame set.

    Web frequency counts a word form in every part of speech (``people`` the
    verb would get the noun's count); SemCor's sense tags split it by use.
    """
    synsets = {pos: _read_synsets(pos) for pos in ("noun", "verb", "adj", "adv")}
    by_pos: dict[str, dict[str, int]] = {pos: {} for pos in synsets}
    frame_sets = (
        _TRANSITIVE_FRAMES,
        _INTRANSITIVE_FRAMES,
        _THAT_CLAUSE_FRAMES,
        _TO_INFINITIVE_FRAMES,
    )
    by_frames: dict[frozenset[int], dict[str, int]] = {f: {} for f in frame_sets}
    with (WORDNET_DIR / "index.sense").open(encoding="latin-1") as handle:
        for line in handle:
            key, offset, _number, tags = line.split()
            count = int(tags)
            lemma, _, rest = key.partition("%")
            if count == 0 or not _WORD.match(lemma):
                continue
            pos = _SS_TYPES[rest[0]]
            synset = synsets[pos].get(offset)
            # Capitalised forms are proper nouns (``Paris``); keep common words only.
            if synset is None or lemma not in synset.words:
                continue
            by_pos[pos][lemma] = by_pos[pos].get(lemma, 0) + count
            for frames in frame_sets:
                if synset.frames & frames:
                    by_frames[frames][lemma] = by_frames[frames].get(lemma, 0) + count
    return by_pos, by_frames


def _weighted(
    counts: dict[str, int], totals: dict[str, int], freqs: dict[str, float]
) -> WeightedWords:
    """Weight lemmas by web frequency times the share of their uses in this pool."""
    kept: list[str] = []
    cumulative: list[float] = []
    total = 0.0
    for word in sorted(counts):
        freq = freqs.get(word, 0.0)
        if freq <= 0.0 or word in _EXCLUDED:
            continue
        zipf = math.log10(freq) + 9.0
        if zipf < MIN_ZIPF:
            continue
        total += 10.0 ** min(zipf, MAX_ZIPF) * counts[word] / totals[word]
        kept.append(word)
        cumulative.append(total)
    return WeightedWords(tuple(kept), tuple(cumulative))


@cache
def load_lexicon() -> Lexicon:
    """Build the content-word pools once per process (about a second)."""
    freqs: dict[str, float] = wordfreq.get_frequency_dict("en")
    by_pos, by_frames = _sense_counts()
    totals: dict[str, int] = {}
    for counts in by_pos.values():
        for word, count in counts.items():
            totals[word] = totals.get(word, 0) + count
    adverbs = {w: c for w, c in by_pos["adv"].items() if w.endswith("ly")}
    # Plural-only lemmas (``talks``, ``thanks``) would be pluralised again.
    nouns = {w: c for w, c in by_pos["noun"].items() if getLemma(w, upos="NOUN")[:1] in ((), (w,))}
    return Lexicon(
        nouns=_weighted(nouns, totals, freqs),
        adjectives=_weighted(by_pos["adj"], totals, freqs),
        adverbs=_weighted(adverbs, totals, freqs),
        transitive_verbs=_weighted(by_frames[_TRANSITIVE_FRAMES], totals, freqs),
        intransitive_verbs=_weighted(by_frames[_INTRANSITIVE_FRAMES], totals, freqs),
        clause_verbs=_weighted(by_frames[_THAT_CLAUSE_FRAMES], totals, freqs),
        infinitive_verbs=_weighted(by_frames[_TO_INFINITIVE_FRAMES], totals, freqs),
    )


@cache
def inflect(lemma: str, tag: str) -> str:
    """Inflect a lemma for a Penn tag (NNS, VBD, VBN, VBZ, VBG), cached per pair.

    Multi-word phrases inflect their first word for verbs (``carry out``) and
    their last word for nouns (``spending plan``).
    """
    if " " in lemma:
        head, _, rest = lemma.partition(" ")
        if tag.startswith("VB"):
            return f"{inflect(head, tag)} {rest}"
        front, _, last = lemma.rpartition(" ")
        return f"{front} {inflect(last, tag)}"
    forms = getInflection(lemma, tag)
    return forms[0] if forms else lemma

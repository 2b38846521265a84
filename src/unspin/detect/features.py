"""What each word of a text looks like to the detector: one row of numbers per word.

Without the source there is no alignment, so the evidence that a word was swapped
in is circumstantial, and each signal below catches a different kind of swap:

* **frequency**: spinners pick thesaurus words, so the word written is often rarer
  than its most common synonym ("ire" for "anger");
* **corpus n-grams**: the archive's own bigram counts say whether the word, or one
  of its synonyms, usually stands between these neighbours;
* **English n-grams**: the same question put to the commonest word pairs of
  general English (symspellpy's list, from book text): "in anger" and "an
  absolutely" are there, "in ire" and "an perfectly" are not;
* **GloVe context fit**: how well the word's vector fits the surrounding words,
  against the best fit among its synonyms;
* **thesaurus phrases**: a spinner that writes "crime syndicate" for "mob" or
  "set aside" for "earmarked" leaves a multiword thesaurus entry with a common
  one-word synonym, rare in natural news prose;
* **general English in context**: a trigram model of US English
  (:mod:`.english`) scores the word with the two words on each side against its
  candidates in the same window ("became a tax exile" against "became a taxation
  exile"), and says how surprising the word and its neighbours are;
* **grammar misfits**: "an perfectly" (a/an before the wrong sound) and "the
  starring" (an -ing verb form after a determiner), left by form-blind swaps.

The candidates for "what was there before" are the word's synonyms in its own
grammatical form (the same table the test-data spinner draws from, read in
reverse: synonymy is symmetric) and, for clumsy derivations ("taxation"), the
words it derives from.
"""

from __future__ import annotations

import functools
import itertools
import math
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple, TypeVar, cast

import numpy as np
import numpy.typing as npt

from unspin.detect.english import WindowScore, WordContext, shared_english_model, word_context
from unspin.lexicon import Lexicon, get_lexicon
from unspin.lexicon.glove import open_vectors, read_vocabulary
from unspin.lexicon.resources import english_bigrams_path, glove_paths
from unspin.lexicon.wordforms import (
    DETERMINERS,
    FROZEN_WORDS,
    WordAnalyzer,
    context_hint,
)
from unspin.model import Token
from unspin.normalize import tokenize


class WordFeatures(NamedTuple):
    """What one word looks like to the detector: a row of every word feature matrix.

    A NamedTuple, so that each value is set by its name and numpy takes the
    whole row as it is. The order of the fields is the order of the columns,
    which a model file records (see :mod:`unspin.detect.classifier`).
    """

    # frequency: the word against its synonyms
    zipf: float
    best_synonym_zipf: float
    zipf_gap: float
    log_synonyms: float
    no_synonyms: float
    rarest_choice: float
    # the archive's own counts
    corpus_log_count: float
    corpus_vs_zipf: float
    left_bigram: float
    right_bigram: float
    left_bigram_seen: float
    right_bigram_seen: float
    best_candidate_bigrams: float
    bigram_gap: float
    # GloVe context fit
    context_fit: float
    best_candidate_fit: float
    fit_gap: float
    no_vector: float
    # grammar misfits and the word's shape
    article_mismatch: float
    determiner_gerund: float
    derived_form: float
    sentence_initial: float
    word_length: float
    repeats_in_text: float
    candidate_in_text: float
    best_candidate_corpus: float
    corpus_gap: float
    # the spinner's channel: how likely a thesaurus spinner wrote this word
    channel_zipf: float
    channel_corpus: float
    channel_vs_word: float
    best_pick: float
    # general English word pairs
    english_left: float
    english_right: float
    english_best_candidate: float
    english_gap: float
    # thesaurus phrases
    phrase_pair: float
    phrase_synonym_zipf: float
    phrase_english: float
    phrase_of_three: float
    # general English in context (log10 probabilities of the trigram model)
    lm_surprisal: float
    lm_unknown: float
    lm_left_gap: float
    lm_right_gap: float
    lm_gap: float
    lm_next_surprisal: float
    lm_neighbour_surprisal: float
    lm_fit_gap: float
    """As ``lm_gap`` with each word's own frequency taken out of its left score: how much
    better the context fits the best candidate than the word, whatever their commonness."""


class CandidateFeatures(NamedTuple):
    """What one candidate original looks like to the suggestion ranker."""

    zipf: float
    left_bigram: float
    right_bigram: float
    context_fit: float
    candidate_rank: float
    is_base_form: float
    same_initial: float
    spinner_pick: float
    english_left: float
    english_right: float
    lm_gain: float
    """log10 of how much likelier the trigram model finds the candidate than the word."""
    lm_left_gain: float


FEATURE_NAMES: tuple[str, ...] = WordFeatures._fields
"""One column per name, in this order, in every feature matrix."""

RANK_FEATURE_NAMES: tuple[str, ...] = CandidateFeatures._fields
"""The columns of :meth:`FeatureExtractor.candidate_features`, one row per candidate."""

GRAMMAR_FEATURES = ("article_mismatch", "determiner_gerund")

# Derivational endings a clumsy spinner adds ("tax" -> "taxation"), tried in reverse.
_SUFFIXES = ("ation", "ition", "ion", "ment", "ness", "ity", "al", "ing", "er", "ance", "ence")
_MIN_BASE_ZIPF = 3.0
_CONTEXT_WINDOW = 6
_MAX_CANDIDATES = 16
_MAX_SPUN_FROM = 6
_MAX_CACHED_PHRASES = 1 << 19
# How much a phrase synonym's frequency counts against its fit with the neighbouring
# words when ranking suggestions (English pair scores and Zipf are both log10 scales).
_PHRASE_ZIPF_WEIGHT = 0.5
# Chance that a spinner writes one given derived form ("taxation") for its base word.
_CLUMSY_PICK = 0.05
_VOWEL_SOUND_EXCEPTIONS = frozenset("hour honest honour honor heir uni one once use usual".split())


@dataclass(frozen=True, slots=True)
class CandidateColumns:
    """What each candidate original of one slot would make of the slot's place, one list
    entry per candidate: the word features compare the written word with its best
    candidate, and the suggestion ranker orders the candidates by the same values."""

    zipf: list[float]
    left_bigram: list[int]
    """Archive counts of the pairs (previous word, candidate) and (candidate, next word)."""
    right_bigram: list[int]
    english_left: list[float]
    """Log counts of the same pairs in general English."""
    english_right: list[float]
    context_fit: list[float]
    lm_left: list[float]
    """log10 probabilities of the candidate in the written word's window of the English
    language model (see :meth:`~unspin.detect.english.EnglishModel.window`)."""
    lm_right: list[float]
    written_window: WindowScore
    """The written word in that window."""
    picks: list[float]
    """The chance that a thesaurus spinner writes the slot's word for the candidate."""


@dataclass(frozen=True, slots=True)
class WordSlot:
    """A word of the text the detector can judge (a swappable content word)."""

    token_index: int
    start: int
    end: int
    word: str
    """The lowercase word."""
    candidates: tuple[str, ...]
    """Words that may have stood here before, most likely first by frequency."""
    hint: str = ""
    """What the previous word says about this one (see ``lexicon.wordforms.context_hint``)."""


SpunFrom = dict[str, tuple[tuple[str, float], ...]]
"""Word -> (archive word it may have replaced, chance a spinner picks it for that word)."""


class NgramCounts:
    """Unigram and bigram counts of lowercase words in a corpus (the archive).

    Bigrams pair each word with the next word when only spaces separate them.
    Feature extraction can take one document's own counts away (training: a text
    spun from an archived article is judged as if its source were unknown).
    ``spun_from`` maps a word to the archive's words that a thesaurus spinner
    could have turned into it: candidates the word's own synonym list may lack.
    """

    def __init__(
        self,
        unigrams: Counter[str],
        bigrams: Counter[str],
        spun_from: SpunFrom | None = None,
    ) -> None:
        self.unigrams = unigrams
        self.bigrams = bigrams
        self.spun_from = spun_from or {}
        self.total = max(sum(unigrams.values()), 1)
        self.document_frequency: Counter[str] = Counter()
        """Documents per word (only for counts made by ``from_texts``)."""

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> NgramCounts:
        unigrams: Counter[str] = Counter()
        bigrams: Counter[str] = Counter()
        documents: Counter[str] = Counter()
        for text in texts:
            own_unigrams, own_bigrams = text_ngrams(text)
            unigrams.update(own_unigrams)
            bigrams.update(own_bigrams)
            documents.update(own_unigrams.keys())
        counts = cls(unigrams, bigrams)
        counts.document_frequency = documents
        return counts

    def most_common(self, limit: int) -> NgramCounts:
        """A copy with at most ``limit`` bigrams, the commonest (smaller model files)."""
        if len(self.bigrams) <= limit:
            return self
        bigrams = Counter(dict(self.bigrams.most_common(limit)))
        return NgramCounts(self.unigrams, bigrams, self.spun_from)


def text_ngrams(text: str) -> tuple[Counter[str], Counter[str]]:
    """Unigram and bigram counts of one text (keys "a" and "a b")."""
    tokens = tokenize(text)
    unigrams = Counter(token.key for token in tokens)
    bigrams: Counter[str] = Counter()
    for left, right in itertools.pairwise(tokens):
        if text[left.end : right.start].isspace():
            bigrams[f"{left.key} {right.key}"] += 1
    return unigrams, bigrams


class _Vectors:
    """GloVe rows by word, normalised, loaded once per process."""

    def __init__(self) -> None:
        vectors_path, index_path = glove_paths()
        self.rows = {word: row for row, word in enumerate(read_vocabulary(index_path))}
        self.matrix = open_vectors(vectors_path)
        self._cache: dict[str, npt.NDArray[np.float32] | None] = {}

    def unit(self, word: str) -> npt.NDArray[np.float32] | None:
        found = self._cache.get(word, False)
        if found is not False:
            return found  # type: ignore[return-value]
        row = self.rows.get(word)
        vector: npt.NDArray[np.float32] | None = None
        if row is not None:
            dense = np.asarray(self.matrix[row], dtype=np.float32)
            norm = float(np.linalg.norm(dense))
            vector = dense / norm if norm else None
        if len(self._cache) < 500_000:
            self._cache[word] = vector
        return vector


class _EnglishBigrams:
    """Log counts of common English word pairs ("a b" keys), loaded once per process.

    The list keeps only pairs seen millions of times, so a missing pair is weak
    evidence on its own; its value is in the comparison with the candidates.
    """

    def __init__(self) -> None:
        self.log_counts: dict[str, float] = {}
        with english_bigrams_path().open(encoding="utf-8") as lines:
            for line in lines:
                first, second, count = line.split()
                # The list starts near 6.4 million; a listed pair scores at least 1.
                self.log_counts[f"{first} {second}"] = math.log10(int(count)) - 5.8

    def __call__(self, left: str | None, right: str | None) -> float:
        if left is None or right is None:
            return 0.0
        return self.log_counts.get(f"{left} {right}", 0.0)


_T = TypeVar("_T")
_LOADING = threading.Lock()


def _loaded_once(load: Callable[[], _T]) -> Callable[[], _T]:
    """``load``'s result, computed by the first caller in the process and shared (the
    resources are large; threads that ask meanwhile wait instead of loading again)."""
    loaded: list[_T] = []

    def get() -> _T:
        if not loaded:
            with _LOADING:
                if not loaded:
                    loaded.append(load())
        return loaded[0]

    return get


_shared_vectors = _loaded_once(_Vectors)
_shared_english_bigrams = _loaded_once(_EnglishBigrams)


class _CachedLexicon:
    """The lexicon calls the spinner's word analysis makes, memoised (lemminflect is slow)."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.synonyms = functools.lru_cache(maxsize=1 << 16)(lexicon.synonyms)
        self._lemmas = functools.lru_cache(maxsize=1 << 17)(
            lambda word: {upos: tuple(found) for upos, found in lexicon.lemmas(word).items()}
        )
        self.inflect = functools.lru_cache(maxsize=1 << 18)(lexicon.inflect)
        self.zipf = lexicon.zipf

    def lemmas(self, word: str) -> dict[str, list[str]]:
        return {upos: list(found) for upos, found in self._lemmas(word).items()}


class FeatureExtractor:
    """Turns texts into word slots and feature rows; reuse one, its caches are the speed."""

    def __init__(self, ngrams: NgramCounts, lexicon: Lexicon | None = None) -> None:
        self.ngrams = ngrams
        self.lexicon = lexicon or get_lexicon()
        self._cached = _CachedLexicon(self.lexicon)
        self._words = WordAnalyzer(self._cached)
        self._vectors = _shared_vectors()
        self._english = _shared_english_bigrams()
        self.english_model = shared_english_model()
        self._candidates: dict[tuple[str, str], tuple[str, ...]] = {}
        self._derived: dict[str, tuple[str, ...]] = {}
        self._phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._phrase_ends: tuple[frozenset[str], frozenset[str]] | None = None

    def slots(self, text: str, tokens: Sequence[Token] | None = None) -> list[WordSlot]:
        """The judgeable words of ``text``, with their candidate originals."""
        tokens = tokenize(text) if tokens is None else tokens
        slots: list[WordSlot] = []
        for index, token in enumerate(tokens):
            word = token.key
            if (
                token.kind != "word"
                or len(word) < 3
                or not word.isascii()
                or not word.isalpha()
                or word in FROZEN_WORDS
            ):
                continue
            previous = _joined_key(text, tokens, index, -1)
            following = _joined_key(text, tokens, index, +1)
            follows_word = following is not None and tokens[index + 1].kind == "word"
            hint = context_hint(previous, follows_word)
            slots.append(
                WordSlot(index, token.start, token.end, word, self._candidates_of(word, hint), hint)
            )
        return slots

    def _candidates_of(self, word: str, hint: str) -> tuple[str, ...]:
        key = (word, hint)
        found = self._candidates.get(key)
        if found is None:
            entry = self._words.entry(word, hint)  # type: ignore[arg-type]
            singles = entry.singles if entry is not None else ()
            spun_from = [source for source, _ in self.ngrams.spun_from.get(word, ())]
            merged = list(dict.fromkeys([*singles, *spun_from, *self._bases(word)]))
            found = tuple(c for c in merged if c != word)[:_MAX_CANDIDATES]
            self._candidates[key] = found
        return found

    def spun_from(self, words: Iterable[str]) -> SpunFrom:
        """For each word a spinner could write in place of one of ``words``: those words,
        each with the chance that the spinner picks this word for it."""
        found: dict[str, list[tuple[str, float]]] = {}
        for word in words:
            if len(word) < 3 or not word.isalpha() or not word.isascii() or word in FROZEN_WORDS:
                continue
            entry = self._words.entry(word, "")
            if entry is None:
                continue
            weights = entry.cum_weights
            for rank, single in enumerate(entry.singles):
                pick = (weights[rank] - (weights[rank - 1] if rank else 0.0)) / weights[-1]
                found.setdefault(single, []).append((word, round(pick, 4)))
        return {
            single: tuple(
                sorted(sources, key=lambda s: -self.ngrams.unigrams.get(s[0], 0))[:_MAX_SPUN_FROM]
            )
            for single, sources in found.items()
        }

    def picks(self, slot: WordSlot) -> list[float]:
        """Per candidate: the chance that a thesaurus spinner writes ``slot.word`` for it.

        A synonym spinner draws the replacement from the candidate's own synonym
        list, favouring common words and the thesaurus' order (known for the
        archive's words, from ``spun_from``); a clumsy spinner writes a derived
        form now and then.
        """
        known = dict(self.ngrams.spun_from.get(slot.word, ()))
        bases = self._bases(slot.word)
        return [known.get(c, _CLUMSY_PICK if c in bases else 0.0) for c in slot.candidates]

    def _bases(self, word: str) -> tuple[str, ...]:
        """Common words that ``word`` is a clumsy form of ("taxation" -> "tax")."""
        found = self._derived.get(word)
        if found is None:
            bases: list[str] = []
            for lemmas in self._cached.lemmas(word).values():
                bases.extend(lemma.lower() for lemma in lemmas)
            for suffix in _SUFFIXES:
                if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                    stem = word[: -len(suffix)]
                    bases.extend((stem, stem + "e"))
                    if stem.endswith("i"):
                        bases.append(stem[:-1] + "y")
            found = tuple(
                base
                for base in dict.fromkeys(bases)
                if base != word and self.lexicon.zipf(base) >= _MIN_BASE_ZIPF
            )
            self._derived[word] = found
        return found

    def features(
        self,
        text: str,
        slots: Sequence[WordSlot],
        tokens: Sequence[Token] | None = None,
        exclude: tuple[Counter[str], Counter[str]] | None = None,
        candidates_seen: dict[int, CandidateColumns] | None = None,
    ) -> npt.NDArray[np.float64]:
        """A (len(slots), len(FEATURE_NAMES)) matrix: one :class:`WordFeatures` row per slot.

        ``exclude`` holds n-gram counts to take away from the corpus counts (the
        text's own source, at training time). ``candidates_seen``, when given, receives
        each slot's :class:`CandidateColumns` by its token index, for
        :meth:`candidate_features` to reuse.
        """
        tokens = tokenize(text) if tokens is None else tokens
        rows = np.zeros((len(slots), len(FEATURE_NAMES)), dtype=np.float64)
        zipf = self.lexicon.zipf
        word_counts = Counter(slot.word for slot in slots)
        unigram, bigram = self._counters(exclude)
        context_vectors = self._context_vectors(tokens)
        lm = self.english_model
        contexts = [word_context(text, tokens, i) for i in range(len(tokens))]
        lm_left = [
            lm.log10(t.key, c.previous, c.before) for t, c in zip(tokens, contexts, strict=True)
        ]
        for row, slot in enumerate(slots):
            word = slot.word
            previous = _joined_key(text, tokens, slot.token_index, -1)
            following = _joined_key(text, tokens, slot.token_index, +1)
            candidates = slot.candidates
            here = contexts[slot.token_index]
            context = self._context(context_vectors, slot.token_index)
            seen = self._candidate_columns(slot, previous, following, context, here, bigram)
            if candidates_seen is not None:
                candidates_seen[slot.token_index] = seen
            word_zipf = zipf(word)
            candidate_zipfs = seen.zipf
            best_zipf = max(candidate_zipfs, default=0.0)
            left, right = bigram(previous, word), bigram(word, following)
            best_pair = max(
                (
                    math.log1p(pair_left) + math.log1p(pair_right)
                    for pair_left, pair_right in zip(
                        seen.left_bigram, seen.right_bigram, strict=True
                    )
                ),
                default=0.0,
            )
            own_pair = math.log1p(left) + math.log1p(right)
            english = self._english
            english_left, english_right = english(previous, word), english(word, following)
            english_best = max(
                (a + b for a, b in zip(seen.english_left, seen.english_right, strict=True)),
                default=0.0,
            )
            fit = self._fit(word, context)
            best_fit = max(seen.context_fit, default=fit)
            corpus_count = unigram(word)
            phrase_left = self._phrase_synonym_zipf(previous, word)
            phrase_right = self._phrase_synonym_zipf(word, following)
            phrase_zipf = max(phrase_left, phrase_right)
            phrase_english = (
                english_left if phrase_left >= 0 else english_right if phrase_right >= 0 else 0.0
            )
            before = _joined_key(text, tokens, slot.token_index - 1, -1) if previous else None
            after = _joined_key(text, tokens, slot.token_index + 1, +1) if following else None
            phrase_of_three = max(
                self._phrase_synonym_zipf(before, previous, word),
                self._phrase_synonym_zipf(previous, word, following),
                self._phrase_synonym_zipf(word, following, after),
            )
            picks = seen.picks
            lm_word = seen.written_window
            lm_totals = [a + b for a, b in zip(seen.lm_left, seen.lm_right, strict=True)]
            neighbours = [
                lm_left[i]
                for i in (slot.token_index - 1, slot.token_index + 1)
                if 0 <= i < len(tokens)
            ]
            channel_zipf = sum(
                p * 10 ** (z - 9) for z, p in zip(candidate_zipfs, picks, strict=True)
            )
            candidate_counts = [unigram(c) for c in candidates]
            channel_corpus = sum(
                p * (count + 0.5) / self.ngrams.total
                for count, p in zip(candidate_counts, picks, strict=True)
            )
            word_prior = 10 ** (word_zipf - 9)
            best_corpus = max((math.log1p(count) for count in candidate_counts), default=0.0)
            corpus_zipf = math.log10(corpus_count / self.ngrams.total * 1e9 + 1)
            rows[row] = WordFeatures(
                zipf=word_zipf,
                best_synonym_zipf=best_zipf,
                zipf_gap=best_zipf - word_zipf,
                log_synonyms=math.log1p(len(candidates)),
                no_synonyms=float(not candidates),
                rarest_choice=float(bool(candidates) and word_zipf < min(candidate_zipfs)),
                corpus_log_count=math.log1p(corpus_count),
                corpus_vs_zipf=corpus_zipf - word_zipf,
                left_bigram=math.log1p(left),
                right_bigram=math.log1p(right),
                left_bigram_seen=float(left > 0),
                right_bigram_seen=float(right > 0),
                best_candidate_bigrams=best_pair,
                bigram_gap=best_pair - own_pair,
                context_fit=fit,
                best_candidate_fit=best_fit,
                fit_gap=best_fit - fit,
                no_vector=float(self._vectors.unit(word) is None),
                article_mismatch=float(_article_mismatch(previous, word)),
                determiner_gerund=float(self._determiner_gerund(previous, word)),
                derived_form=float(word.endswith(_SUFFIXES) and bool(self._bases(word))),
                sentence_initial=float(slot.token_index == 0 or previous is None),
                word_length=len(word) / 10.0,
                repeats_in_text=math.log(word_counts[word]),
                candidate_in_text=math.log1p(sum(word_counts.get(c, 0) for c in candidates)),
                best_candidate_corpus=best_corpus,
                corpus_gap=best_corpus - math.log1p(corpus_count),
                channel_zipf=math.log10(channel_zipf + 1e-12),
                channel_corpus=math.log10(channel_corpus + 1e-12),
                channel_vs_word=math.log10(channel_zipf + 1e-12) - math.log10(word_prior + 1e-12),
                best_pick=max(picks, default=0.0),
                english_left=english_left,
                english_right=english_right,
                english_best_candidate=english_best,
                english_gap=english_best - english_left - english_right,
                phrase_pair=float(phrase_zipf >= 0),
                phrase_synonym_zipf=phrase_zipf,
                phrase_english=phrase_english,
                phrase_of_three=phrase_of_three,
                lm_surprisal=-lm_word.left,
                lm_unknown=float(not lm.knows(word)),
                lm_left_gap=max(seen.lm_left, default=lm_word.left) - lm_word.left,
                lm_right_gap=max(seen.lm_right, default=lm_word.right) - lm_word.right,
                lm_gap=max(lm_totals, default=lm_word.total) - lm_word.total,
                lm_next_surprisal=-lm_left[slot.token_index + 1]
                if here.following is not None
                else 0.0,
                lm_neighbour_surprisal=-sum(neighbours) / len(neighbours) if neighbours else 0.0,
                lm_fit_gap=max(
                    (total - lm.log10(w) for total, w in zip(lm_totals, candidates, strict=True)),
                    default=lm_word.total - lm.log10(word),
                )
                - (lm_word.total - lm.log10(word)),
            )
        return rows

    def phrase_synonyms(self, *words: str | None) -> tuple[str, ...]:
        """One-word synonyms of ``words`` read as one thesaurus phrase ("crime
        syndicate" -> "mob", "syndicate"), in any inflection of its first or last
        word, commonest first; empty when they form no such phrase (or a word is
        missing)."""
        for word in words:  # a loop, not all(): five calls per judged word
            if not word or not word.isalpha():
                return ()
        key = cast(tuple[str, ...], words)  # no None left
        found = self._phrases.get(key)
        if found is None and len(key) > 1 and not self._may_be_phrase(key):
            found = ()
        if found is None:
            # The phrase as written, or with its head (the last word of a noun phrase,
            # "grocery stores"; the first of a verb phrase, "pulled back") in its
            # dictionary form, whose synonyms then take the head's form ("markets").
            forms: dict[tuple[str, ...], tuple[int, str, str] | None] = {key: None}
            for head in (len(key) - 1, 0):
                for upos, lemmas in self._cached.lemmas(key[head]).items():
                    for lemma in lemmas:
                        if lemma != key[head]:
                            form = (*key[:head], lemma, *key[head + 1 :])
                            forms.setdefault(form, (head, upos, lemma))
            known = self.lexicon.phrases()
            singles = set()
            for form, reading in forms.items():
                phrase = " ".join(form)
                if phrase not in known:
                    continue
                tag = self._words.tag_of(key[reading[0]], *reading[1:]) if reading else None
                for synonym in self._cached.synonyms(phrase, None, _MAX_CANDIDATES):
                    written = self._words.form(synonym, tag) if tag else synonym
                    if written and " " not in written:
                        singles.add(written)
            zipf = self.lexicon.zipf
            found = tuple(sorted(singles, key=lambda single: (-zipf(single), single)))
            # Word pairs outnumber words by far: a long scan must not grow this forever.
            if len(self._phrases) < _MAX_CACHED_PHRASES:
                self._phrases[key] = found
        return found

    def _may_be_phrase(self, key: tuple[str, ...]) -> bool:
        """Whether some thesaurus phrase starts with ``key``'s first word or ends with its
        last: the forms tried below change one of the two at most, so a key that fails
        this (about a third of the new word pairs of the benchmark's texts) needs no
        lemmas looked up."""
        if self._phrase_ends is None:
            phrases = [phrase.split(" ") for phrase in self.lexicon.phrases()]
            self._phrase_ends = (
                frozenset(words[0] for words in phrases),
                frozenset(words[-1] for words in phrases),
            )
        firsts, lasts = self._phrase_ends
        return key[0] in firsts or key[-1] in lasts

    def phrase_suggestions(self, tokens: Sequence[Token], first: int, last: int) -> tuple[str, ...]:
        """:meth:`phrase_synonyms` of ``tokens[first:last + 1]``, the likeliest original
        first: the one that pairs best with the words around the phrase in general
        English, then the commonest ("by the final stage of 2026" -> "end" before "last")."""
        singles = self.phrase_synonyms(*(token.key for token in tokens[first : last + 1]))
        before = tokens[first - 1].key if first > 0 else None
        after = tokens[last + 1].key if last + 1 < len(tokens) else None
        english, zipf = self._english, self.lexicon.zipf

        def fit(single: str) -> float:
            return (
                english(before, single)
                + english(single, after)
                + _PHRASE_ZIPF_WEIGHT * zipf(single)
            )

        return tuple(sorted(singles, key=lambda single: -fit(single)))

    def _phrase_synonym_zipf(self, *words: str | None) -> float:
        """Zipf frequency of the commonest of :meth:`phrase_synonyms`; -1.0 when none."""
        singles = self.phrase_synonyms(*words)
        return self.lexicon.zipf(singles[0]) if singles else -1.0

    def _counters(
        self, exclude: tuple[Counter[str], Counter[str]] | None
    ) -> tuple[Callable[[str], int], Callable[[str | None, str | None], int]]:
        """Count lookups on the corpus, less the ``exclude`` counts."""
        uni, bi = self.ngrams.unigrams, self.ngrams.bigrams
        if exclude is None:  # in use: a few hundred thousand lookups per text, kept lean
            return (
                lambda word: uni.get(word, 0),
                lambda left, right: (
                    0 if left is None or right is None else bi.get(f"{left} {right}", 0)
                ),
            )
        own_uni, own_bi = exclude

        def unigram(word: str) -> int:
            return max(uni.get(word, 0) - own_uni.get(word, 0), 0)

        def bigram(left: str | None, right: str | None) -> int:
            if left is None or right is None:
                return 0
            key = f"{left} {right}"
            return max(bi.get(key, 0) - own_bi.get(key, 0), 0)

        return unigram, bigram

    def _candidate_columns(
        self,
        slot: WordSlot,
        previous: str | None,
        following: str | None,
        context: npt.NDArray[np.float32] | None,
        here: WordContext,
        bigram: Callable[[str | None, str | None], int],
    ) -> CandidateColumns:
        """What each candidate of ``slot`` would make of its place."""
        candidates, zipf, english = slot.candidates, self.lexicon.zipf, self._english
        lm_left, lm_right = self.english_model.windows(candidates, here)
        return CandidateColumns(
            zipf=[zipf(c) for c in candidates],
            left_bigram=[bigram(previous, c) for c in candidates],
            right_bigram=[bigram(c, following) for c in candidates],
            english_left=[english(previous, c) for c in candidates],
            english_right=[english(c, following) for c in candidates],
            context_fit=[self._fit(c, context) for c in candidates],
            lm_left=lm_left,
            lm_right=lm_right,
            written_window=self.english_model.window(slot.word, here),
            picks=self.picks(slot),
        )

    def candidate_features(
        self,
        text: str,
        slot: WordSlot,
        tokens: Sequence[Token],
        exclude: tuple[Counter[str], Counter[str]] | None = None,
        seen: CandidateColumns | None = None,
    ) -> npt.NDArray[np.float64]:
        """One row per candidate of ``slot`` (columns: :data:`RANK_FEATURE_NAMES`).

        ``seen``: the slot's columns as :meth:`features` found them (same ``exclude``),
        which spares working them out again for every flagged word.
        """
        if seen is None:
            _, bigram = self._counters(exclude)
            previous = _joined_key(text, tokens, slot.token_index, -1)
            following = _joined_key(text, tokens, slot.token_index, +1)
            around = self._context_vectors(tokens, slot.token_index)
            context = self._context(around, slot.token_index)
            here = word_context(text, tokens, slot.token_index)
            seen = self._candidate_columns(slot, previous, following, context, here, bigram)
        bases = self._bases(slot.word)
        rows = np.zeros((len(slot.candidates), len(RANK_FEATURE_NAMES)), dtype=np.float64)
        written = seen.written_window
        for row, candidate in enumerate(slot.candidates):
            lm_total = seen.lm_left[row] + seen.lm_right[row]
            rows[row] = CandidateFeatures(
                zipf=seen.zipf[row],
                left_bigram=math.log1p(seen.left_bigram[row]),
                right_bigram=math.log1p(seen.right_bigram[row]),
                context_fit=seen.context_fit[row],
                candidate_rank=row / _MAX_CANDIDATES,
                is_base_form=float(candidate in bases),
                same_initial=float(candidate[0] == slot.word[0]),
                spinner_pick=seen.picks[row],
                english_left=seen.english_left[row],
                english_right=seen.english_right[row],
                lm_gain=lm_total - written.total,
                lm_left_gain=seen.lm_left[row] - written.left,
            )
        return rows

    def _context_vectors(
        self, tokens: Sequence[Token], around: int | None = None
    ) -> list[npt.NDArray[np.float32] | None]:
        """Unit vectors of the content words (only near ``around`` when given)."""
        low, high = 0, len(tokens)
        if around is not None:
            low, high = max(0, around - _CONTEXT_WINDOW), around + _CONTEXT_WINDOW + 1
        # Suggestions ask for one word's window at a time: reading the whole text for each
        # took 3% of detection.
        vectors: list[npt.NDArray[np.float32] | None] = [None] * len(tokens)
        for i in range(low, min(high, len(tokens))):
            if tokens[i].kind == "word":
                vectors[i] = self._vectors.unit(tokens[i].key)
        return vectors

    @staticmethod
    def _context(
        vectors: list[npt.NDArray[np.float32] | None], index: int
    ) -> npt.NDArray[np.float32] | None:
        window = [
            v
            for i in range(max(0, index - _CONTEXT_WINDOW), index + _CONTEXT_WINDOW + 1)
            if i != index and i < len(vectors) and (v := vectors[i]) is not None
        ]
        if not window:
            return None
        # np.mean and np.linalg.norm, less their checks (a few thousand calls per text).
        mean: npt.NDArray[np.float32] = np.add.reduce(np.array(window), axis=0) / len(window)
        norm = float(np.sqrt(mean.dot(mean)))
        return mean / norm if norm else None

    def _fit(self, word: str, context: npt.NDArray[np.float32] | None) -> float:
        vector = self._vectors.unit(word)
        if vector is None or context is None:
            return 0.0
        return float(vector @ context)

    def _determiner_gerund(self, previous: str | None, word: str) -> bool:
        """ "the starring became": an -ing form that is only a verb, after a determiner."""
        if previous not in DETERMINERS or not word.endswith("ing"):
            return False
        readings = self._cached.lemmas(word)
        return "VERB" in readings and "NOUN" not in readings and "ADJ" not in readings


def same_case(candidate: str, written: str) -> str:
    """``candidate`` capitalised like the written word ("Showed" for "Presented")."""
    if written.isupper() and len(written) > 1:
        return candidate.upper()
    if written[:1].isupper():
        return candidate[:1].upper() + candidate[1:]
    return candidate


def _joined_key(text: str, tokens: Sequence[Token], index: int, step: int) -> str | None:
    """The neighbouring token's key when only spaces separate the two, else None."""
    other = index + step
    if not 0 <= other < len(tokens):
        return None
    left, right = (tokens[other], tokens[index]) if step < 0 else (tokens[index], tokens[other])
    gap = text[left.end : right.start]
    return tokens[other].key if gap.isspace() and "\n" not in gap else None


def _article_mismatch(previous: str | None, word: str) -> bool:
    """ "an perfectly", "a idea": the article does not fit the next word's first sound."""
    if previous not in ("a", "an"):
        return False
    vowel = word[0] in "aeiou"
    if any(word.startswith(exception) for exception in _VOWEL_SOUND_EXCEPTIONS):
        vowel = not vowel
    return (previous == "an") != vowel

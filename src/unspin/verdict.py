"""Verdicts: what an alignment says about a copy and one source.

The aligner has already decided which copy sentences were *copied* (mostly
derived from a source sentence) and which of them follow each other as
passages. The rules, in the order they are applied:

1. Shared quotes are not copying. Words inside quotation marks in both texts
   (a statement, a speech) count for nothing below: two reports that quote
   the same statement are two reports.
2. The copy *reuses* the source when it took at least 25 of the source's
   own words and one of these holds:
   - a passage of 3 or more sentences and 25 or more words copied one after
     the other (forwards, or backwards: reversing the order hides nothing);
   - a passage of 2 sentences with at least 40 words (or 2 sentences that
     are the whole copy);
   - sentences copied in any order (shuffled, paragraphs swapped) that make
     up at least half of the copy, 3 sentences at least.
3. No reuse: ``independent`` when the two texts still share the story's
   names and numbers or quote the same words (the same event in other
   words), otherwise ``unrelated``.
4. Reuse of only part of the source (under 70% of its words, a sentence it
   repeats counted once): ``partial``.
5. Reuse of (nearly) the whole source: ``verbatim`` when almost no content
   word was swapped, otherwise ``spun``.

Then, for a copy that may retell its source in other words (not ``verbatim``,
not ``unrelated``, and not mostly made of the source's words swapped in place),
:func:`judge_rewrite` weighs the alignment by meaning (:mod:`unspin.meaning`):

6. ``rewritten`` when most of the copy (80% of its words) retells source
   sentences, in the source's order (Kendall's tau 0.5 or more), closely
   (mean similarity 0.72), covering 30% of the source or more, in 3 pairs or
   more, and the copy adds almost no names or numbers of its own (at most
   one, or 20% of its telling ones): new facts are the mark of independent
   reporting. Shared quotes count for nothing, as above.
7. A copy that is both (words swapped and sentences rewritten) gets the
   verdict that covers most of it: it stays ``spun`` or ``partial`` when more
   than 70% of its words come from the source word for word or swapped *in
   place*, that is, when it also kept the source's grammar (91% of the
   function words of its copied sentences, in order: see :func:`kept_grammar`).
   A spinner swaps words and leaves a sentence's small words where they
   stood; a rewrite rebuilds the sentence around the same words.

The numbers above are the defaults of :class:`unspin.settings.CheckSettings`,
which names each threshold once and says why it has its value.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from typing import Protocol

from rapidfuzz.distance import LCSseq

from unspin.align import Alignment, Text
from unspin.meaning import RewriteEvidence
from unspin.model import Document, Fact, Match, SentencePair, Token, Verdict
from unspin.settings import CheckSettings


class WordFrequencies(Protocol):
    """What verdicts need from a lexicon (see :mod:`unspin.lexicon`)."""

    def zipf(self, word: str) -> float: ...


def judge(
    copy: Text,
    source: Text,
    source_document: Document,
    alignment: Alignment,
    frequencies: WordFrequencies,
    *,
    settings: CheckSettings,
) -> Match:
    """The verdict and scores for one copy-source alignment."""
    coverage = alignment.derived_copy_words / max(alignment.copy_words, 1)
    source_coverage = alignment.reused_source_words / max(alignment.source_words, 1)
    spin_rate = alignment.swapped_content_words / max(alignment.aligned_content_words, 1)

    reused = alignment.own_copied_words >= settings.min_copied_words and reuses_source(
        alignment, settings
    )
    verdict: Verdict
    if not reused:
        shared = shared_entities(copy, source, frequencies, settings)
        quoted = sum(e.copy_words for e in alignment.edits if e.type == "quote")
        same_story = shared >= settings.shared_entities or quoted >= settings.shared_quote_words
        verdict = "independent" if same_story else "unrelated"
        # Weak evidence by design: a retelling is reported, never ranked above a copy.
        score = min(0.3, 0.05 * shared) if verdict == "independent" else 0.0
    else:
        if source_coverage < settings.partial_below:
            verdict = "partial"
        elif spin_rate <= settings.verbatim_spin:
            verdict = "verbatim"
        else:
            verdict = "spun"
        quality = sum(p.derived for p in alignment.pairs) / max(len(alignment.pairs), 1)
        score = quality * (
            0.6 * coverage + 0.4 * min(1.0, source_coverage / settings.partial_below)
        )
    return Match(
        source_document,
        verdict,
        score,
        coverage,
        source_coverage,
        spin_rate,
        alignment.edits,
        alignment.passages if reused else [],
        alignment.sentence_pairs if reused else [],
    )


def reuses_source(alignment: Alignment, settings: CheckSettings) -> bool:
    """Whether the copied sentences make a copy: rule 2 of the module's list."""
    for passage in alignment.passages:
        if passage.sentences >= settings.min_passage and passage.words >= settings.min_copied_words:
            return True
        if passage.sentences >= settings.short_passage and (
            passage.words >= settings.short_passage_words
            or passage.sentences >= alignment.copy_sentences
        ):
            return True
    return (
        alignment.copied_sentences >= settings.min_passage
        and alignment.own_copied_words >= settings.reordered_share * alignment.copy_words
    )


_CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december jan feb mar apr jun jul aug sep sept "
    "oct nov dec".split()
)


def shared_entities(
    copy: Text, source: Text, frequencies: WordFrequencies, settings: CheckSettings
) -> int:
    """How many distinct, telling names and numbers the two texts have in common."""
    return len(
        telling_facts(copy, frequencies, settings).keys()
        & telling_facts(source, frequencies, settings).keys()
    )


def telling_facts(
    text: Text, frequencies: WordFrequencies, settings: CheckSettings
) -> dict[str, Token]:
    """A text's distinct, telling names and numbers: key -> first token.

    Days, months, short numbers ("2", "23") and capitalized common words
    ("Council", "Teachers") turn up in any two texts, so they are not
    evidence of a shared story; "Brackenford", "Oyelaran" and "23,000" are.
    """
    found: dict[str, Token] = {}
    for token in text.tokens:
        key = token.key
        if key in found:
            continue
        telling = (token.kind == "name" and key not in _CALENDAR) or (
            token.kind == "number" and len(key) >= 3
        )
        if telling and (key[0].isdigit() or frequencies.zipf(key) < settings.common_word_zipf):
            found[key] = token
    return found


def may_be_rewritten(match: Match) -> bool:
    """Whether alignment by meaning could change a word-level verdict (rule 6).

    Not for a verbatim copy, nor for a text that shares too few names and
    numbers to be the same story (a rewrite keeps them). Whether the copy is
    mostly made of the source's words swapped in place (rule 7) is for the
    caller, which sees every source of the copy: see :func:`swapped_in_place`.
    """
    return match.verdict not in ("verbatim", "unrelated")


def swapped_in_place(
    copy: Text, source: Text, alignment: Alignment, match: Match, settings: CheckSettings
) -> float:
    """The share of the copy that ``match``'s word-level verdict covers (rule 7).

    Its coverage when the copy took the source's words in place (verbatim, or
    spun keeping the source's grammar), else 0: a rewrite that keeps most of
    its source's words in rebuilt sentences is covered by no word-level verdict.
    """
    if match.verdict not in ("verbatim", "spun", "partial"):
        return 0.0
    if match.verdict == "verbatim":
        return match.coverage
    kept = kept_grammar(copy, source, alignment, settings=settings)
    return match.coverage if kept is None or kept >= settings.spun_kept_grammar else 0.0


def kept_grammar(
    copy: Text, source: Text, alignment: Alignment, *, settings: CheckSettings
) -> float | None:
    """How much of the source's grammar the copy kept, from 0 to 1, or None when
    its copied passages hold too few function words to tell.

    The function words ("the", "of", "which", "was") of each sentence of a
    copied passage (two sentences or more) against those of its source
    sentence, outside shared quotes: twice the longest run they share in
    order, over how many there are (Dice). A spinner swaps content words, a
    phrase for a word here and there, and leaves the small words where they
    stood; a rewrite rebuilds its sentences (clauses moved, voice changed,
    sentences merged) and keeps fewer of them (measured values:
    :attr:`CheckSettings.spun_kept_grammar`). A source sentence split over
    two copy sentences, or two merged into one, counts as one pair when that
    lines the two up better; a sentence doubled stays two pairs. Sentences
    outside passages are left out: a loose pairing says nothing about how a
    copy was made.
    """
    passages = sorted((p.copy_start, p.copy_end) for p in alignment.passages if p.sentences >= 2)
    copy_quotes = sorted((e.copy_start, e.copy_end) for e in alignment.edits if e.type == "quote")
    source_quotes = sorted(
        (e.source_start, e.source_end) for e in alignment.edits if e.type == "quote"
    )
    # One list for both texts: a short copy may be read as another language than its source.
    function_words = {t.key for text in (copy, source) for t in text.tokens if t.kind == "function"}
    groups: list[tuple[SentencePair, list[str], list[str]]] = []
    for pair in alignment.sentence_pairs:
        if not _inside(passages, pair.copy_start):
            continue
        copy_words = _function_words(
            copy, pair.copy_start, pair.copy_end, copy_quotes, function_words
        )
        source_words = _function_words(
            source, pair.source_start, pair.source_end, source_quotes, function_words
        )
        if groups:
            last, last_copy, last_source = groups[-1]
            same_source = (last.source_start, last.source_end) == (
                pair.source_start,
                pair.source_end,
            )
            same_copy = (last.copy_start, last.copy_end) == (pair.copy_start, pair.copy_end)
            if same_source or same_copy:
                merged_copy = last_copy if same_copy else last_copy + copy_words
                merged_source = last_source if same_source else last_source + source_words
                apart = _dice(last_copy, last_source, copy_words, source_words)
                if _dice(merged_copy, merged_source) > apart:
                    groups[-1] = (last, merged_copy, merged_source)
                    continue
        groups.append((pair, copy_words, source_words))
    sides = [side for _, copy_words, source_words in groups for side in (copy_words, source_words)]
    enough = sum(map(len, sides)) >= settings.kept_grammar_min_words
    return _dice(*sides) if enough else None


def _inside(spans: list[tuple[int, int]], offset: int) -> bool:
    """Whether ``offset`` falls in one of ``spans`` (sorted, not overlapping)."""
    k = bisect.bisect_right(spans, (offset, math.inf)) - 1
    return k >= 0 and offset < spans[k][1]


def _function_words(
    text: Text, start: int, end: int, quotes: list[tuple[int, int]], function_words: set[str]
) -> list[str]:
    """The keys of ``text``'s function words between two offsets, outside ``quotes``
    (sorted spans)."""
    tokens = text.tokens
    first = bisect.bisect_left(tokens, start, key=lambda t: t.start)
    last = bisect.bisect_left(tokens, end, lo=first, key=lambda t: t.start)
    words: list[str] = []
    for token in tokens[first:last]:
        if token.key not in function_words:
            continue
        if not _inside(quotes, token.start):
            words.append(token.key)
    return words


def _dice(*sides: list[str]) -> float:
    """Dice overlap, in order, of pairs of word lists given one after the other."""
    shared = sum(LCSseq.similarity(c, s) for c, s in zip(sides[::2], sides[1::2], strict=True))
    total = sum(len(side) for side in sides)
    return 2 * shared / total if total else 1.0


def judge_rewrite(
    copy: Text,
    source: Text,
    match: Match,
    alignment: Alignment,
    evidence: RewriteEvidence,
    frequencies: WordFrequencies,
    *,
    settings: CheckSettings,
    copy_published: str | None = None,
) -> Match:
    """``match`` turned ``rewritten`` where rules 6 and 7 say so, else ``match`` unchanged.

    The rewritten match keeps the word-level passages and pairs (a mixed copy
    shows both), and gains the sentences retold and the copy's new facts;
    its edits are the caller's to fill (see :func:`unspin.meaning.retold_edits`).
    """
    copy_facts = telling_facts(copy, frequencies, settings)
    source_facts = telling_facts(source, frequencies, settings)
    new = [token for key, token in copy_facts.items() if key not in source_facts]
    retold = (
        len(evidence.pairs) >= settings.rewrite_min_pairs
        and evidence.copy_coverage >= settings.rewrite_coverage
        and evidence.source_coverage >= settings.rewrite_source_coverage
        and evidence.order >= settings.rewrite_order
        and evidence.similarity >= settings.rewrite_similarity
        and len(new) <= max(1.0, settings.rewrite_new_facts * len(copy_facts))
    )
    if not retold or not may_be_rewritten(match):
        return match
    score = evidence.similarity * (
        0.6 * evidence.copy_coverage
        + 0.4 * min(1.0, evidence.source_coverage / settings.partial_below)
    )
    gap = _days_between(match.source.published, copy_published)
    if gap is not None and gap > 0:
        score *= 1 / (1 + gap / settings.rewrite_gap_days)
    return Match(
        match.source,
        "rewritten",
        score,
        evidence.copy_coverage,
        evidence.source_coverage,
        match.spin_rate,
        match.edits,
        alignment.passages,
        alignment.sentence_pairs,
        new_facts=[Fact(t.start, t.end, copy.text[t.start : t.end]) for t in new],
    )


def _days_between(earlier: str | None, later: str | None) -> int | None:
    """Days from one ISO date to another, or None when either is unknown."""
    try:
        first = dt.date.fromisoformat((earlier or "")[:10])
        second = dt.date.fromisoformat((later or "")[:10])
    except ValueError:
        return None
    return (second - first).days

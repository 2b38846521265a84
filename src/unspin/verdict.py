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

The numbers above are the defaults of :class:`unspin.settings.CheckSettings`,
which names each threshold once and says why it has its value.
"""

from __future__ import annotations

from typing import Protocol

from unspin.align import Alignment, Text
from unspin.model import Document, Match, Verdict
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
    """How many distinct, telling names and numbers the two texts have in common.

    Days, months, short numbers ("2", "23") and capitalized common words
    ("Council", "Teachers") turn up in any two texts, so they are not
    evidence of a shared story; "Brackenford", "Oyelaran" and "23,000" are.
    """

    def entities(text: Text) -> set[str]:
        return {
            t.key
            for t in text.tokens
            if (t.kind == "name" and t.key not in _CALENDAR)
            or (t.kind == "number" and len(t.key) >= 3)
        }

    return sum(
        1
        for key in entities(copy) & entities(source)
        if key[0].isdigit() or frequencies.zipf(key) < settings.common_word_zipf
    )

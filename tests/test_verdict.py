"""Verdicts at the edge of each threshold: just below and just above, with the defaults.

Each case builds the alignment counts a verdict is made from, so the edge is
exact; the copy and source texts matter only for the same-story evidence
(shared names and numbers), which a fake word-frequency table decides.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from unspin.align import Alignment, Text, UnitPair
from unspin.meaning import MeaningPair, RewriteEvidence
from unspin.model import Document, Edit, Match, Passage, SentencePair
from unspin.settings import CheckSettings
from unspin.verdict import judge, judge_rewrite, kept_grammar, swapped_in_place

DEFAULTS = CheckSettings()


class WordFrequencies:
    """A fake lexicon for verdicts: Zipf frequencies from a table, 0.0 (rare) otherwise."""

    def __init__(self, zipf: dict[str, float] | None = None) -> None:
        self.table = zipf or {}

    def zipf(self, word: str) -> float:
        return self.table.get(word, 0.0)


def passage(sentences: int, words: int) -> Passage:
    return Passage(0, 10, 0, 10, sentences, words)


def copied_pairs(count: int) -> list[UnitPair]:
    return [UnitPair(i, i, 1.0, 10, 10, copied_own_words=True) for i in range(count)]


def alignment(
    *,
    copy_words: int = 100,
    source_words: int = 100,
    reused_source_words: int = 100,
    aligned_content_words: int = 1000,
    swapped_content_words: int = 0,
    own_copied_words: int = 100,
    copy_sentences: int = 5,
    passages: tuple[Passage, ...] = (passage(5, 100),),
    pairs: int = 5,
    edits: tuple[Edit, ...] = (),
) -> Alignment:
    return Alignment(
        edits=list(edits),
        pairs=copied_pairs(pairs),
        copy_words=copy_words,
        source_words=source_words,
        copy_sentences=copy_sentences,
        derived_copy_words=own_copied_words,
        reused_source_words=reused_source_words,
        aligned_content_words=aligned_content_words,
        swapped_content_words=swapped_content_words,
        own_copied_words=own_copied_words,
        passages=list(passages),
    )


UNRELATED_COPY = Text.of("The kettle boils water quickly and quietly.")
UNRELATED_SOURCE = Text.of("A storm closed the bridge for most of the day.")


def verdict(
    found: Alignment,
    settings: CheckSettings = DEFAULTS,
    copy: Text = UNRELATED_COPY,
    source: Text = UNRELATED_SOURCE,
    frequencies: WordFrequencies | None = None,
) -> str:
    match = judge(
        copy,
        source,
        Document("source", source.text),
        found,
        frequencies or WordFrequencies(),
        settings=settings,
    )
    return match.verdict


@pytest.mark.parametrize(
    ("reused", "expected"),
    [(DEFAULTS.partial_below * 100 - 1, "partial"), (DEFAULTS.partial_below * 100, "verbatim")],
)
def test_partial_below_the_share_of_the_source_reused(reused: float, expected: str) -> None:
    assert verdict(alignment(reused_source_words=round(reused))) == expected


@pytest.mark.parametrize(
    ("swapped", "expected"),
    [
        (round(DEFAULTS.verbatim_spin * 1000), "verbatim"),
        (round(DEFAULTS.verbatim_spin * 1000) + 1, "spun"),
    ],
)
def test_verbatim_up_to_the_spin_rate_normalization_leaves(swapped: int, expected: str) -> None:
    found = alignment(aligned_content_words=1000, swapped_content_words=swapped)
    assert verdict(found) == expected


@pytest.mark.parametrize(
    ("own_words", "expected"),
    [(DEFAULTS.min_copied_words - 1, "unrelated"), (DEFAULTS.min_copied_words, "verbatim")],
)
def test_a_copy_takes_at_least_min_copied_words(own_words: int, expected: str) -> None:
    long_enough = passage(DEFAULTS.min_passage, DEFAULTS.min_copied_words)
    found = alignment(own_copied_words=own_words, passages=(long_enough,))
    assert verdict(found) == expected


@pytest.mark.parametrize(
    ("sentences", "expected"),
    [(DEFAULTS.min_passage - 1, "unrelated"), (DEFAULTS.min_passage, "verbatim")],
)
def test_a_passage_of_min_passage_sentences_is_a_copy(sentences: int, expected: str) -> None:
    words = DEFAULTS.short_passage_words - 1  # too few for a short passage
    found = alignment(passages=(passage(sentences, words),), pairs=sentences, copy_sentences=8)
    assert verdict(found) == expected


@pytest.mark.parametrize(
    ("words", "expected"),
    [(DEFAULTS.short_passage_words - 1, "unrelated"), (DEFAULTS.short_passage_words, "verbatim")],
)
def test_a_short_passage_needs_short_passage_words(words: int, expected: str) -> None:
    found = alignment(
        passages=(passage(DEFAULTS.short_passage, words),),
        pairs=DEFAULTS.short_passage,
        copy_sentences=8,
    )
    assert verdict(found) == expected


@pytest.mark.parametrize(("copy_sentences", "expected"), [(3, "unrelated"), (2, "verbatim")])
def test_a_short_passage_that_is_the_whole_copy_is_a_copy(
    copy_sentences: int, expected: str
) -> None:
    found = alignment(
        passages=(passage(DEFAULTS.short_passage, 30),),
        pairs=DEFAULTS.short_passage,
        copy_sentences=copy_sentences,
    )
    assert verdict(found) == expected


@pytest.mark.parametrize(
    ("own_words", "expected"),
    [
        (round(DEFAULTS.reordered_share * 100) - 1, "unrelated"),
        (round(DEFAULTS.reordered_share * 100), "verbatim"),
    ],
)
def test_reordered_sentences_make_a_copy_from_reordered_share(
    own_words: int, expected: str
) -> None:
    found = alignment(
        copy_words=100, own_copied_words=own_words, passages=(), pairs=DEFAULTS.min_passage
    )
    assert verdict(found) == expected


def test_reordered_sentences_need_min_passage_of_them() -> None:
    found = alignment(passages=(), pairs=DEFAULTS.min_passage - 1)
    assert verdict(found) == "unrelated"


NAMES = ("Oyelaran", "Brackenford", "Castlemere", "Ilsworth")


def story(names: tuple[str, ...]) -> Text:
    return Text.of(
        "Reporters said that " + " and ".join(names) + " were there on Tuesday in March."
    )


@pytest.mark.parametrize(
    ("shared", "expected"),
    [(DEFAULTS.shared_entities - 1, "unrelated"), (DEFAULTS.shared_entities, "independent")],
)
def test_same_story_from_shared_entities_names(shared: int, expected: str) -> None:
    copy = story((*NAMES[:shared], "Pemberton"))
    source = story((*NAMES[:shared], "Quillfeather"))
    found = alignment(own_copied_words=0, passages=())
    # Weekdays and months are shared by any two reports: they do not count.
    assert verdict(found, copy=copy, source=source) == expected


@pytest.mark.parametrize(
    ("zipf", "expected"),
    [(DEFAULTS.common_word_zipf, "unrelated"), (DEFAULTS.common_word_zipf - 0.01, "independent")],
)
def test_a_name_as_common_as_common_word_zipf_names_no_story(zipf: float, expected: str) -> None:
    text = story(NAMES[: DEFAULTS.shared_entities])
    frequencies = WordFrequencies({NAMES[0].lower(): zipf})
    found = alignment(own_copied_words=0, passages=())
    assert verdict(found, copy=text, source=text, frequencies=frequencies) == expected


def quote(words: int) -> Edit:
    return Edit("quote", 0, 1, 0, 1, "x", "x", copy_words=words, source_words=words)


@pytest.mark.parametrize(
    ("words", "expected"),
    [(DEFAULTS.shared_quote_words - 1, "unrelated"), (DEFAULTS.shared_quote_words, "independent")],
)
def test_same_story_from_shared_quote_words(words: int, expected: str) -> None:
    found = alignment(own_copied_words=0, passages=(), edits=(quote(words),))
    assert verdict(found) == expected


def test_verdicts_follow_the_settings_they_are_given() -> None:
    found = alignment(reused_source_words=60, swapped_content_words=100)
    assert verdict(found) == "partial"
    assert verdict(found, replace(DEFAULTS, partial_below=0.6)) == "spun"
    assert verdict(found, replace(DEFAULTS, partial_below=0.6, verbatim_spin=0.1)) == "verbatim"
    assert verdict(found, replace(DEFAULTS, min_copied_words=101)) == "unrelated"


# --- the rewritten verdict (issue 13): rules 6 and 7 at their edges ----------------------------

RETOLD_SOURCE = Text.of(
    "Mayor Ilse Varkonen of Quellbay opened the Harrowgate bridge on Monday. "
    "It cost 14,500 crowns. Engineers from Dunmore built it in 2024."
)
FACTS = ("Varkonen", "Quellbay", "Harrowgate", "14,500", "Dunmore", "2024")


def retelling(new_facts: int) -> Text:
    """A copy that retells RETOLD_SOURCE and names ``new_facts`` people the source lacks."""
    extra = " ".join(f"Witness Zorvath{chr(97 + k)} watched." for k in range(new_facts))
    return Text.of(
        "On Monday Varkonen, mayor of Quellbay, cut the ribbon on the Harrowgate bridge. "
        "The crossing cost 14,500 crowns and was built in 2024 by Dunmore engineers. " + extra
    )


def evidence(**changes: float) -> RewriteEvidence:
    """Evidence just at every threshold of rule 6, then ``changes``."""
    fields: dict[str, object] = {
        "pairs": tuple(MeaningPair(k, k + 1, k, k + 1, 0.9) for k in range(3)),
        "copy_coverage": DEFAULTS.rewrite_coverage,
        "source_coverage": DEFAULTS.rewrite_source_coverage,
        "similarity": DEFAULTS.rewrite_similarity,
        "order": DEFAULTS.rewrite_order,
    }
    fields.update(changes)
    return RewriteEvidence(**fields)  # type: ignore[arg-type]


def rewrite_verdict(
    found: RewriteEvidence,
    *,
    word_verdict: str = "independent",
    coverage: float = 0.2,
    copy: Text | None = None,
    edits: tuple[Edit, ...] = (),
) -> Match:
    copy = copy or retelling(0)
    source = Document("source", RETOLD_SOURCE.text, published="2026-01-01")
    match = Match(source, word_verdict, 0.3, coverage, 0.2, 0.1)  # type: ignore[arg-type]
    return judge_rewrite(
        copy,
        RETOLD_SOURCE,
        match,
        alignment(edits=edits),
        found,
        WordFrequencies(),
        settings=DEFAULTS,
    )


def test_a_retelling_at_every_threshold_is_rewritten() -> None:
    judged = rewrite_verdict(evidence())
    assert judged.verdict == "rewritten" and judged.new_facts == []
    assert judged.coverage == DEFAULTS.rewrite_coverage


@pytest.mark.parametrize(
    "below",
    [
        {"copy_coverage": DEFAULTS.rewrite_coverage - 0.01},
        {"source_coverage": DEFAULTS.rewrite_source_coverage - 0.01},
        {"order": DEFAULTS.rewrite_order - 0.01},
        {"similarity": DEFAULTS.rewrite_similarity - 0.01},
        {"pairs": (MeaningPair(0, 1, 0, 1, 0.9), MeaningPair(1, 2, 1, 2, 0.9))},
    ],
    ids=["coverage", "source-coverage", "order", "similarity", "pairs"],
)
def test_just_below_any_threshold_the_word_verdict_stands(below: dict[str, object]) -> None:
    assert rewrite_verdict(evidence(**below)).verdict == "independent"  # type: ignore[arg-type]


def test_new_names_and_numbers_mark_independent_reporting() -> None:
    shared = len(FACTS)
    allowed = max(1, int(DEFAULTS.rewrite_new_facts * (shared + 1)))
    judged = rewrite_verdict(evidence(), copy=retelling(allowed))
    assert judged.verdict == "rewritten"
    assert [f.text for f in judged.new_facts] == ["Zorvatha"]
    copy = retelling(allowed)
    assert all(copy.text[f.start : f.end] == f.text for f in judged.new_facts)
    # One more new fact than a rewrite may add: the copy reports for itself.
    assert rewrite_verdict(evidence(), copy=retelling(allowed + 1)).verdict == "independent"


@pytest.mark.parametrize(
    ("word_verdict", "expected"),
    [
        ("spun", "rewritten"),
        ("partial", "rewritten"),
        ("verbatim", "verbatim"),
        ("unrelated", "unrelated"),
    ],
)
def test_rule_six_turns_any_word_verdict_but_verbatim_and_unrelated(
    word_verdict: str, expected: str
) -> None:
    # Whether a copy is mostly swapped in place (rule 7) is the caller's to weigh.
    judged = rewrite_verdict(evidence(), word_verdict=word_verdict, coverage=0.9)
    assert judged.verdict == expected


GRAMMAR_SOURCE = (
    "The council said on Monday that the new bridge over the river would open in the spring. "
    "It was built by a firm from the north of the county, and it cost less than the council "
    "had feared. The mayor told reporters that the town had waited for it for more than "
    "twenty years."
)
# Content words swapped, a phrase for a word once: what a spinner does.
GRAMMAR_SPUN = (
    "The assembly stated on Monday that the fresh crossing over the stream would launch in "
    "the spring. It was constructed by a company from the north of the shire, and it priced "
    "less than the assembly had dreaded. The mayor informed journalists that the borough had "
    "been waiting for it for more than twenty years."
)
# Sentences rebuilt around the same words: what a rewriter does.
GRAMMAR_REBUILT = (
    "According to the council, the new bridge over the river will open in the spring, it said "
    "on Monday. A northern firm from the county built it, for less than the council feared it "
    "would cost. Speaking to reporters, the mayor said this was a bridge the town had been "
    "waiting on for over twenty years."
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    while start < len(text):
        end = text.find(". ", start)
        end = len(text) if end < 0 else end + 1
        spans.append((start, end))
        start = end + 1
    return spans


def paired(copy: str, source: str, sentences: int = 3) -> Alignment:
    """An alignment pairing the two texts sentence by sentence, in one passage."""
    pairs = [
        SentencePair(c0, c1, s0, s1, 0.8)
        for (c0, c1), (s0, s1) in zip(sentence_spans(copy), sentence_spans(source), strict=True)
    ][:sentences]
    found = alignment(passages=(Passage(0, pairs[-1].copy_end, 0, pairs[-1].source_end, 3, 60),))
    found.sentence_pairs = pairs
    return found


def in_place(copy: str, coverage: float = 0.9, sentences: int = 3) -> float:
    match = Match(Document("source", GRAMMAR_SOURCE), "spun", 0.9, coverage, 0.9, 0.4)
    return swapped_in_place(
        Text.of(copy),
        Text.of(GRAMMAR_SOURCE),
        paired(copy, GRAMMAR_SOURCE, sentences),
        match,
        DEFAULTS,
    )


def test_a_spinner_keeps_the_sources_grammar_and_a_rewriter_rebuilds_it() -> None:
    source = Text.of(GRAMMAR_SOURCE)
    spun, rebuilt = Text.of(GRAMMAR_SPUN), Text.of(GRAMMAR_REBUILT)
    kept_spun = kept_grammar(spun, source, paired(GRAMMAR_SPUN, GRAMMAR_SOURCE), settings=DEFAULTS)
    kept_rebuilt = kept_grammar(
        rebuilt, source, paired(GRAMMAR_REBUILT, GRAMMAR_SOURCE), settings=DEFAULTS
    )
    assert kept_spun is not None and kept_rebuilt is not None
    assert kept_spun >= DEFAULTS.spun_kept_grammar > kept_rebuilt
    # Rule 7: only words swapped in place count towards the word-level verdict's share.
    assert in_place(GRAMMAR_SPUN) == 0.9
    assert in_place(GRAMMAR_REBUILT) == 0.0


def test_too_few_function_words_leave_the_word_level_verdict_standing() -> None:
    copy = Text.of(GRAMMAR_REBUILT)
    found = paired(GRAMMAR_REBUILT, GRAMMAR_SOURCE, sentences=1)
    assert kept_grammar(copy, Text.of(GRAMMAR_SOURCE), found, settings=DEFAULTS) is None
    assert in_place(GRAMMAR_REBUILT, sentences=1) == 0.9


def test_shared_quotes_are_no_part_of_the_grammar_compared() -> None:
    quoted_source = '"We are proud of it," he said. ' + GRAMMAR_SOURCE
    quoted_copy = '"We are proud of it," he said. ' + GRAMMAR_REBUILT
    found = paired(quoted_copy, quoted_source, sentences=4)
    quote = Edit("quote", 1, 19, 1, 19, "We are proud of it", "We are proud of it")
    with_quote = replace(found, edits=[quote])
    kept = kept_grammar(Text.of(quoted_copy), Text.of(quoted_source), found, settings=DEFAULTS)
    kept_outside = kept_grammar(
        Text.of(quoted_copy), Text.of(quoted_source), with_quote, settings=DEFAULTS
    )
    assert kept is not None and kept_outside is not None and kept_outside < kept


def test_a_long_time_gap_weakens_a_rewrite_but_does_not_clear_it() -> None:
    copy = retelling(0)
    source = Document("source", RETOLD_SOURCE.text, published="2026-01-01")
    match = Match(source, "independent", 0.3, 0.2, 0.2, 0.1)

    def judged(published: str) -> Match:
        return judge_rewrite(
            copy,
            RETOLD_SOURCE,
            match,
            alignment(),
            evidence(),
            WordFrequencies(),
            settings=DEFAULTS,
            copy_published=published,
        )

    soon, late = judged("2026-01-02"), judged(f"{2026 + 1}-01-01")
    assert soon.verdict == late.verdict == "rewritten"
    assert late.score == pytest.approx(soon.score / 2, rel=0.01)

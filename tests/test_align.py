"""The aligner on its own, with a fake lexicon that knows only the swaps a test makes.

Explicit cases pin each edit type (verbatim, synonym, insertion, deletion,
moved); Hypothesis checks the invariants every alignment keeps, whatever a
copier did to the source:

- the edits tile the copy, in order and without overlap;
- every edit's text is its span of the copy, and of the source;
- no source word is used by two copy words.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unspin.align import Alignment, Text, align
from unspin.model import Edit
from unspin.settings import CheckSettings

DEFAULTS = CheckSettings()

SOURCE_SENTENCES = (
    "The council approved a large budget for the harbour repairs on Monday",
    "Engineers warned that the old bridge needed urgent work before winter",
    "Residents gathered outside the town hall to protest the sudden closure",
    "The mayor promised a quick decision after reading the detailed report",
    "Local shops reported falling sales since the eastern road was blocked",
    "Officials expect the project to finish early next spring if funding holds",
    "Farmers complained that deliveries now take twice as long as before",
    "A spokesman said the contractor would begin hiring workers this month",
)
SYNONYMS = {
    "large": "big",
    "approved": "passed",
    "warned": "cautioned",
    "urgent": "pressing",
    "gathered": "assembled",
    "protest": "oppose",
    "quick": "speedy",
    "detailed": "thorough",
    "falling": "declining",
    "blocked": "shut",
    "expect": "anticipate",
    "complained": "grumbled",
    "begin": "start",
}
"""Source word -> the synonym a copier writes for it."""
FILLERS = ("notably", "reportedly", "meanwhile", "indeed", "apparently")
NOVEL_SENTENCES = (
    "Critics of the plan questioned whether anyone had read the fine print",
    "Tourism numbers rose sharply during the festival season this year",
)


class Relations:
    """A fake lexicon for the aligner: the synonym pairs a test made, and nothing else."""

    def __init__(self, synonyms: dict[str, str] = SYNONYMS) -> None:
        self.pairs = {(copy, source) for source, copy in synonyms.items()}

    def relation(self, copy_word: str, source_word: str) -> str | None:
        return "synonym" if (copy_word, source_word) in self.pairs else None


def text(sentences: list[str]) -> str:
    return " ".join(sentence + "." for sentence in sentences)


def aligned(copy: str, source: str, settings: CheckSettings = DEFAULTS) -> Alignment:
    return align(Text.of(copy), Text.of(source), Relations(), settings=settings)


def of_type(found: Alignment, kind: str) -> list[Edit]:
    return [e for e in found.edits if e.type == kind]


SOURCE = text(list(SOURCE_SENTENCES[:5]))


def test_a_verbatim_copy_is_one_verbatim_edit_per_sentence() -> None:
    found = aligned(SOURCE, SOURCE)
    assert {e.type for e in found.edits} == {"verbatim"}
    assert [e.copy_text for e in found.edits] == list(SOURCE_SENTENCES[:5])
    assert found.derived_copy_words == found.copy_words == found.reused_source_words


def test_a_swapped_word_is_a_synonym_edit_with_both_words() -> None:
    copy = SOURCE.replace("a large budget", "a big budget")
    (swap,) = of_type(aligned(copy, SOURCE), "synonym")
    assert (swap.copy_text, swap.source_text) == ("big", "large")
    assert copy[swap.copy_start : swap.copy_end] == "big"
    assert SOURCE[swap.source_start : swap.source_end] == "large"


def test_a_dropped_sentence_is_a_deletion_where_it_stood() -> None:
    kept = [SOURCE_SENTENCES[i] for i in (0, 1, 3, 4)]
    copy = text(kept)
    found = aligned(copy, SOURCE)
    (dropped,) = of_type(found, "deletion")
    assert dropped.source_text == SOURCE_SENTENCES[2]
    assert dropped.copy_text == "" and dropped.copy_start == dropped.copy_end
    # Between the copy's second sentence and its full stop: where the sentence was.
    assert dropped.copy_start == copy.index(SOURCE_SENTENCES[1]) + len(SOURCE_SENTENCES[1])
    assert found.reused_source_words < found.source_words


def test_a_sentence_out_of_the_source_order_is_moved() -> None:
    order = (1, 2, 3, 4, 0)
    copy = text([SOURCE_SENTENCES[i] for i in order])
    found = aligned(copy, SOURCE)
    (moved,) = of_type(found, "moved")
    assert moved.copy_text == moved.source_text == SOURCE_SENTENCES[0]
    assert moved.copy_start == copy.index(SOURCE_SENTENCES[0])
    assert moved.source_start == 0
    assert [e.copy_text for e in of_type(found, "verbatim")] == list(SOURCE_SENTENCES[1:5])


def test_a_sentence_of_the_copiers_own_is_an_insertion() -> None:
    copy = text([*SOURCE_SENTENCES[:2], NOVEL_SENTENCES[0], *SOURCE_SENTENCES[2:5]])
    (inserted,) = of_type(aligned(copy, SOURCE), "insertion")
    assert inserted.copy_text == NOVEL_SENTENCES[0]
    assert inserted.source_start == inserted.source_end


def test_copied_sentence_decides_which_sentences_pair() -> None:
    """Half a sentence replaced with words unrelated to the source: a copy sentence under
    the default ``copied_sentence`` share, a copied one under a lower setting."""
    words = SOURCE_SENTENCES[0].split()
    half = len(words) // 2
    rewritten = " ".join([*words[:half], "zebra", "quartz", "violin", "tundra", "saffron", "oboe"])
    copy = text([rewritten, *SOURCE_SENTENCES[1:5]])
    assert of_type(aligned(copy, SOURCE), "insertion")[0].copy_text == rewritten
    lenient = replace(DEFAULTS, copied_sentence=0.5)
    assert not of_type(aligned(copy, SOURCE, lenient), "insertion")


def test_texts_without_look_alike_sentences_are_not_aligned() -> None:
    found = aligned(text(list(NOVEL_SENTENCES)), SOURCE)
    assert found.edits == [] and found.pairs == []


@st.composite
def copies(draw: st.DrawFn) -> tuple[str, str]:
    """A source, and a copy of some of its sentences in any order, with words swapped,
    dropped or added, and sentences of the copier's own."""
    chosen = draw(st.permutations(range(len(SOURCE_SENTENCES))))
    source_count = draw(st.integers(3, len(SOURCE_SENTENCES)))
    source_sentences = [SOURCE_SENTENCES[i] for i in sorted(chosen[:source_count])]
    taken = draw(st.permutations(range(source_count)))
    taken = taken[: draw(st.integers(1, source_count))]
    copy_sentences: list[str] = []
    for index in taken:
        words: list[str] = []
        for word in source_sentences[index].split():
            action = draw(st.sampled_from(("keep", "keep", "keep", "swap", "drop", "add")))
            if action == "swap" and word in SYNONYMS:
                words.append(SYNONYMS[word])
            elif action == "drop":
                continue
            else:
                words.append(word)
                if action == "add":
                    words.append(draw(st.sampled_from(FILLERS)))
        if words:
            copy_sentences.append(" ".join(words))
    for novel in NOVEL_SENTENCES:
        if draw(st.booleans()):
            copy_sentences.insert(draw(st.integers(0, len(copy_sentences))), novel)
    if not copy_sentences:
        copy_sentences.append(NOVEL_SENTENCES[0])
    return text(copy_sentences), text(source_sentences)


def word_spans(text_: Text) -> list[tuple[int, int]]:
    return [(t.start, t.end) for t in text_.tokens]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(copies())
def test_alignment_invariants(pair: tuple[str, str]) -> None:
    assert_alignment_invariants(*pair)


def test_pieces_of_one_copy_sentence_never_claim_a_source_sentence_twice() -> None:
    # Found by the test above: lower-case sentence starts glue the copy into one long
    # sentence, which is cut where the source's sentences start; the copy moved a
    # sentence, so three pieces derived from one source sentence and each claimed its words.
    assert_alignment_invariants(
        "Engineers warned that the old bridge needed urgent work before winter. Farmers "
        "complained that deliveries now take twice as long as before. mayor promised a quick "
        "decision after reading the detailed report. gathered outside the notably town hall "
        "to protest the sudden closure.",
        "Engineers warned that the old bridge needed urgent work before winter. Residents "
        "gathered outside the town hall to protest the sudden closure. The mayor promised a "
        "quick decision after reading the detailed report. Local shops reported falling sales "
        "since the eastern road was blocked. Officials expect the project to finish early next "
        "spring if funding holds. Farmers complained that deliveries now take twice as long as "
        "before.",
    )


def assert_alignment_invariants(copy_text: str, source_text: str) -> None:
    copy, source = Text.of(copy_text), Text.of(source_text)
    found = align(copy, source, Relations(), settings=DEFAULTS)
    for edit in found.edits:
        assert copy_text[edit.copy_start : edit.copy_end] == edit.copy_text
        assert source_text[edit.source_start : edit.source_end] == edit.source_text
    if not found.edits:
        return  # no look-alike sentences: nothing aligned
    # The edits tile the copy in order: each word in exactly one edit, none overlapping.
    spans = [(e.copy_start, e.copy_end) for e in found.edits]
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end <= start
    filled = [span for span in spans if span[0] < span[1]]
    for start, end in word_spans(copy):
        assert sum(a <= start and end <= b for a, b in filled) == 1
    # A source word serves at most one copy word.
    used: Counter[int] = Counter()
    for edit in found.edits:
        if edit.copy_start < edit.copy_end:
            used.update(
                i
                for i, (start, end) in enumerate(word_spans(source))
                if edit.source_start <= start and end <= edit.source_end
            )
    assert not used or max(used.values()) == 1

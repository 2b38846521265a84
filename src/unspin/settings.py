"""The thresholds of a check, named once: retrieval, alignment and verdicts.

:class:`CheckSettings` travels from :class:`unspin.Index` down to
:func:`~unspin.retrieve.retrieve_by_fingerprints`, :func:`~unspin.align.align` and
:func:`~unspin.verdict.judge`, and every result's provenance reports it, so a
verdict can be reproduced with the settings that gave it.

The defaults were tuned on generator output with seeds that the benchmark
does not use (see ``bench/``); each field says why it has its value. The
index's own tunables (how postings runs grow, which fingerprints are too
common to keep) are the index layout's, stored with the index file.

>>> from dataclasses import replace
>>> strict = replace(CheckSettings(), min_copied_words=40)
>>> strict.min_copied_words, CheckSettings().min_copied_words
(40, 25)
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CheckSettings:
    """Every threshold of the check pipeline, in the order the pipeline uses them."""

    max_text_chars: int = 20_000_000
    """Longest suspect a check takes, in characters: the input limit of the readers
    (:data:`unspin.io.DEFAULT_MAX_DOCUMENT_BYTES`). Checking a text of 10 MB against
    itself takes about a minute and under 1.5 GB; the web app sets a lower limit."""

    # --- retrieval (unspin.retrieve) ------------------------------------------------------

    copy_min_shared: int = 6
    """Fingerprints a source of a copied passage shares with the copy, at least: on the
    benchmark every true source, even of a stitched copy at 50% swaps, shared 12 or more,
    while half of the other candidates shared fewer than 6."""
    retelling_min_shared: int = 2
    """Fingerprints a same-story retelling shares with the suspect, at least: two rule
    out a single stray hash collision, and retellings share little more."""
    weak_candidates: int = 2
    """Candidates below :attr:`copy_min_shared` kept, at most (for the independent
    verdict): the best retelling is nearly always among the first two."""
    max_df: int = 256
    """Fingerprints in more stories than this are too common to be evidence. Must not
    exceed the index layout's ``common_df``, above which the index keeps no postings."""
    max_sources: int = 20
    """Sources a stitched copy can be traced to, at most."""
    few_sources: int = 4
    """Sources picked on their share of the suspect alone; later picks must explain a
    copied passage (see :class:`unspin.retrieve._Cover`)."""
    first_pick_share: float = 0.15
    """One of the first few picks must explain at least this share of the best
    candidate's evidence: less is stock phrasing, not a source."""
    passage_span: int = 30
    """Fingerprints within this many suspect fingerprints of each other lie in one
    passage (a two-sentence passage of 40 words holds about 12)."""
    passage_fingerprints: int = 3
    passage_df: int = 10
    """A passage's evidence must weigh as much as :attr:`passage_fingerprints`
    fingerprints each found in this many stories."""

    lexical_novel_share: float = 0.25
    """The lexical channel is asked only when more than this share of the suspect's telling
    fingerprints are new to the archive (:attr:`unspin.retrieve.FingerprintRetrieval.novel`):
    a text made of archived text is within the fingerprints' reach, while a rewrite, or a
    rewritten part large enough to matter, brings many new ones. On the benchmark's copies
    of every kind the share is 0.32 at most (0.12 at the median), on its unrelated and
    independent texts 0.35 at least (0.58 at the median)."""
    lexical_terms: int = 30
    """The suspect's rarest words (by the index's document frequency) the lexical channel
    looks up: a rewrite keeps its source's names, numbers and rare words, and 30 of them
    find the source of nearly every rewrite (issue 13's probe: recall@10 0.985)."""
    lexical_max_df: int = 200
    """Words in more documents than this are no evidence of a source, and slow to look up
    (the lookup reads every document of every word)."""
    lexical_candidates: int = 3
    """Candidates the lexical channel adds beyond the fingerprint channel's, at most: each
    costs an alignment."""
    lexical_min_terms: int = 4
    """Rare words a story must share with the suspect for the lexical channel to add it:
    a few shared names are every same-event story's."""
    fusion_k: int = 60
    """Reciprocal rank fusion's constant (the customary 60): a rank ``r`` counts
    ``1 / (fusion_k + r)``, so one channel's first place does not drown the other's."""

    # --- alignment (unspin.align) ---------------------------------------------------------

    copied_sentence: float = 0.6
    """Least share of a copy sentence's words that must derive from its source sentence
    for the two to pair: a retelling's sentences share names and function words, but
    not most of their words."""
    own_words: int = 4
    """Words outside shared quotes a copied sentence needs to count towards a passage:
    '"..." he said' is the quote's sentence, not the copier's."""
    pairing_floor: float = 0.3
    """Least LCS similarity at which a source sentence is tried as a copy sentence's pair."""
    pairing_slack: float = 0.15
    """Source sentences this much less LCS-similar than the closest are tried too: the
    LCS ranking is blind to synonyms, and the word-level alignment re-ranks them."""
    pairing_candidates: int = 1000
    """Source sentences compared with each copy sentence, at most: those sharing its rarest
    words. An article has fewer sentences than this, so all are compared; the limit bounds
    the time of aligning book-length texts (see :class:`unspin.align._SentenceFinder`)."""
    likely_copied: float = 0.45
    """LCS similarity from which a sentence looks copied: on spun copies (50% swaps)
    98% of copied sentences reach it, and 12% of a same-story retelling's. Texts with
    fewer than two such sentences are not aligned word by word."""
    phrase_max: int = 4
    """Words on either side of an uneven swap read as one phrase ("has presented" for
    "showed"); longer stretches are several swaps side by side."""
    anchor_search: int = 6
    """Words into an uneven stretch searched for a related pair that anchors a split."""
    long_sentence: float = 1.5
    """Copy sentences this many times longer than the source's (by their medians) lost
    their ends (a list flattened to one line) and are cut where the source's start."""
    projection_cells: int = 40_000_000
    """Whole-text alignments larger than this (copy words x source words) are not tried:
    their cost would exceed the rest of the check many times over."""

    # --- alignment by meaning (unspin.meaning) -------------------------------------------

    meaning_pair: float = 0.6
    """Least similarity (cosine of sentence vectors) at which two sentences are paired as
    one retelling the other."""
    meaning_merge_cost: float = 0.02
    """What merging two sentences into one pair costs: two good one-to-one pairs beat one
    merged pair that blurs them."""
    meaning_gate: float = 0.5
    """Least similarity of the two texts as wholes (mean sentence vectors) for a source to
    be aligned by meaning at all: it saves the work on texts about other things."""

    # --- verdicts (unspin.verdict) --------------------------------------------------------

    min_copied_words: int = 25
    """Reuse below this many words (outside shared quotes) is a stock phrase, not a copy."""
    partial_below: float = 0.7
    """A copy that reuses less of the source than this is partial."""
    verbatim_spin: float = 0.02
    """Most spin rate a verbatim copy may show (normalization leaves a little noise)."""
    min_passage: int = 3
    """Sentences in a copied passage that make it a copy on their own."""
    short_passage: int = 2
    short_passage_words: int = 40
    """A passage of :attr:`short_passage` sentences is a copy from this many words on."""
    reordered_share: float = 0.5
    """Share of the copy made of copied sentences, in any order, that makes it a copy."""
    shared_entities: int = 3
    """Distinct names and numbers two texts must share to be about the same story..."""
    shared_quote_words: int = 10
    """...or words of quotes: two reports quoting one statement cover one story."""
    common_word_zipf: float = 4.0
    """Capitalized words this frequent ("Council", "University") name no particular story."""

    # --- the rewritten verdict (unspin.verdict.judge_rewrite) ----------------------------
    # Calibrated on hand-written rewrites and same-event retellings (samples/rewrites) and
    # on the benchmark generator's retellings: every threshold sits between the worst
    # rewrite and the best retelling, nearer the retellings' side where the gap allows.

    rewrite_coverage: float = 0.8
    """Least share of the copy's words in sentences that retell source sentences: rewrites
    reach 0.80 or more; a retelling of the same event 0.4-0.64 typically (up to 0.92, when
    order and new facts still tell it apart; a generated retelling that shares every fact
    and the lead-first order reached 0.787: the bar sits above it)."""
    rewrite_source_coverage: float = 0.3
    """Least share of the source retold: a summary retells half of it, a copy that only
    shares a sentence or two with a long article is no rewrite of it."""
    rewrite_order: float = 0.5
    """Least order agreement (Kendall's tau): rewrites keep the source's order (0.93-1.0
    typically), retellings tell in their own (0.1-0.35 typically)."""
    rewrite_similarity: float = 0.72
    """Least mean similarity of the retold sentences."""
    rewrite_new_facts: float = 0.2
    """Most share of the copy's telling names and numbers absent from the source (one such
    fact is always allowed): new facts mark independent reporting (hand-written retellings:
    0.23 or more, generated ones 0.31 typically; rewrites 0.07 typically)."""
    rewrite_min_pairs: int = 3
    """Retold sentences a rewrite needs at least: fewer say nothing about order."""
    rewrite_word_coverage: float = 0.7
    """A copy whose words come from the source (word for word or swapped in place) over
    more than this share keeps its word-level verdict (``spun``, ``partial``): the verdict
    that covers most of a mixed copy. Summaries reuse up to 0.69 of their words."""
    spun_kept_grammar: float = 0.91
    """Least share of the source's grammar (function words in order, see
    :func:`unspin.verdict.kept_grammar`) a copy keeps for its words to count as swapped in
    place. The benchmark's 3,480 copies made by swapping words (every kind, 10-50% swaps,
    phrase swaps, fillers and dropped adjectives included) keep 0.92 or more against their
    first source, but for one two-sentence excerpt (0.89, and too short to reach rule 7);
    the 60 hand-written light rewrites keep 0.69-0.90. The bar sits between the two."""
    kept_grammar_min_words: int = 40
    """Fewest function words (copy's and source's together) in which to judge that: a
    phrase swap or an inserted filler moves a few of them, and in a two-sentence excerpt
    that is enough to look like rebuilt grammar. A full article has 150 or more."""
    rewrite_gap_days: int = 365
    """A rewrite's score halves over this many days between source and copy: content farms
    rewrite within hours, and the time gap is weak evidence either way."""

    def as_provenance(self) -> dict[str, str | int | float | bool]:
        """Every threshold by name, for :attr:`unspin.model.Provenance.settings`."""
        return {field.name: getattr(self, field.name) for field in dataclasses.fields(self)}

"""Alignment by meaning: which copy sentences retell which source sentences.

A language model that rewrites a story keeps each sentence's content and
order but changes its words, merges two sentences into one and splits one
into two. Word alignment (:mod:`unspin.align`) finds little of that, so this
module pairs sentences by what they mean: each sentence becomes a vector
(:mod:`unspin.embed`), and a dynamic program in the manner of Vecalign
(Thompson and Koehn, 2019) finds the best *monotone* alignment, where one
copy sentence may retell one source sentence or two, two copy sentences
may retell one, and any sentence may stand alone (skipped: the copy's
additions, or what it left out).

A pair is worth taking when its sentences are more alike than
:attr:`~unspin.settings.CheckSettings.meaning_pair`; merged pairs count for
the sentences they cover, less a small cost, so that two good one-to-one
pairs beat one merged pair that blurs them.

The evidence that a copy was rewritten from its source, rather than told
again from the same facts, is summed up in :class:`RewriteEvidence`; the
rule that weighs it is :func:`unspin.verdict.judge`'s.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from unspin.align import RelationFinder, Text, pair_edits
from unspin.embed import SentenceEmbedder
from unspin.model import Edit, RetoldSentences
from unspin.normalize import Sentence
from unspin.settings import CheckSettings

# The moves of the dynamic program: (copy sentences, source sentences) taken.
_MOVES = ((1, 1), (1, 2), (2, 1))


@dataclass(frozen=True, slots=True)
class MeaningPair:
    """Copy sentences ``copy_first:copy_end`` retell those at ``source_first:source_end``
    (sentence indexes)."""

    copy_first: int
    copy_end: int
    source_first: int
    source_end: int
    similarity: float
    """Cosine similarity of the two sides' sentence vectors (merged sides: their sum)."""


@dataclass(frozen=True, slots=True)
class RewriteEvidence:
    """What alignment by meaning says about a copy and one source."""

    pairs: tuple[MeaningPair, ...]
    copy_coverage: float
    """Share of the copy's words in sentences paired with the source."""
    source_coverage: float
    """Share of the source's words in sentences paired with the copy."""
    similarity: float
    """Mean similarity of the pairs, each weighed by its copy words."""
    order: float
    """Kendall's tau between the copy's order and the source's, over each copy sentence's
    closest source sentence (any order): 1 when the copy retells in the source's order."""


def sentence_text(text: Text, sentence: Sentence) -> str:
    """A sentence's characters, from its first word to its last."""
    return text.text[text.tokens[sentence.first].start : text.tokens[sentence.end - 1].end]


def sentence_vectors(text: Text, embedder: SentenceEmbedder) -> npt.NDArray[np.float32]:
    """One unit vector per sentence of ``text``: what it says, leaving out who and how many.

    Names and numbers are left out of the vectors: two reports of one event
    share them in every sentence, and a static model would read that as
    sentences meaning the same. They are weighed apart, as facts (see
    :func:`unspin.verdict.judge_rewrite`).
    """
    return embedder.embed(
        [
            " ".join(
                text.text[t.start : t.end]
                for t in text.tokens[s.first : s.end]
                if t.kind not in ("name", "number")
            )
            for s in text.sentences
        ]
    )


def monotone_pairs(
    copy_vectors: npt.NDArray[np.float32],
    source_vectors: npt.NDArray[np.float32],
    *,
    floor: float,
    merge_cost: float,
) -> list[MeaningPair]:
    """The best monotone alignment of two sentence sequences (1-1, 1-2, 2-1 and skips).

    Each pair earns its similarity less ``floor``, times the sentences it
    covers over two (a merge less ``merge_cost``); skips earn nothing. So a
    pair below ``floor`` is never taken, and the alignment keeps the copy's
    order and the source's.
    """
    n, m = len(copy_vectors), len(source_vectors)
    if n == 0 or m == 0:
        return []
    similarity = {move: _side_similarity(copy_vectors, source_vectors, *move) for move in _MOVES}
    gain = {
        (a, b): (s - floor) * (a + b) / 2 - (merge_cost if a + b > 2 else 0.0)
        for (a, b), s in similarity.items()
    }
    # score[i, j]: the best total over copy[:i] and source[:j]. Skipping a
    # source sentence earns nothing, so each row is the running maximum of
    # what the pairs ending there (or a skipped copy sentence) give.
    score = np.zeros((n + 1, m + 1))
    move_at = np.zeros((n + 1, m + 1), dtype=np.int8)  # 0: skip copy, 1+k: _MOVES[k]
    for i in range(1, n + 1):
        best = score[i - 1].copy()
        chosen = np.zeros(m + 1, dtype=np.int8)
        for k, (a, b) in enumerate(_MOVES):
            if i < a:
                continue
            options = np.full(m + 1, -np.inf)
            options[b:] = score[i - a, : m + 1 - b] + gain[(a, b)][i - a, : m + 1 - b]
            better = options > best
            best[better], chosen[better] = options[better], k + 1
        running = np.maximum.accumulate(best)
        score[i] = running
        move_at[i] = np.where(best >= running, chosen, -1)  # -1: a source sentence skipped
    pairs: list[MeaningPair] = []
    i, j = n, m
    while i > 0 and j > 0:
        move = int(move_at[i, j])
        if move == -1:
            j -= 1
        elif move == 0:
            i -= 1
        else:
            a, b = _MOVES[move - 1]
            value = float(similarity[(a, b)][i - a, j - b])
            pairs.append(MeaningPair(i - a, i, j - b, j, value))
            i, j = i - a, j - b
    pairs.reverse()
    return pairs


def _side_similarity(
    copy_vectors: npt.NDArray[np.float32], source_vectors: npt.NDArray[np.float32], a: int, b: int
) -> npt.NDArray[np.float64]:
    """Cosine of every run of ``a`` copy sentences with every run of ``b`` source sentences;
    row ``i`` column ``j`` for the runs starting there (padded with -1 where none fits)."""
    left, right = _runs(copy_vectors, a), _runs(source_vectors, b)
    out = np.full((len(copy_vectors), len(source_vectors)), -1.0)
    out[: len(left), : len(right)] = left @ right.T
    return out


def _runs(vectors: npt.NDArray[np.float32], length: int) -> npt.NDArray[np.float32]:
    """Unit vectors of each run of ``length`` consecutive sentences."""
    if length == 1:
        return vectors
    summed = sum(vectors[k : len(vectors) - length + 1 + k] for k in range(length))
    merged = np.asarray(summed, dtype=np.float32)
    norms = np.linalg.norm(merged, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    unit: npt.NDArray[np.float32] = merged / norms
    return unit


def kendall_tau(ranks: Sequence[int]) -> float:
    """Kendall's tau-a of a sequence against its sorted order (1: in order, -1: reversed)."""
    n = len(ranks)
    if n < 2:
        return 0.0
    values = np.asarray(ranks)
    upper = np.triu_indices(n, 1)
    signs = np.sign(values[upper[1]] - values[upper[0]])
    return float(signs.sum() / (n * (n - 1) / 2))


def rewrite_evidence(
    copy: Text,
    source: Text,
    copy_vectors: npt.NDArray[np.float32],
    source_vectors: npt.NDArray[np.float32],
    *,
    shared_quotes: Sequence[Edit] = (),
    settings: CheckSettings,
) -> RewriteEvidence:
    """Align by meaning and sum up how much the copy looks rewritten from the source.

    ``shared_quotes`` are the word alignment's ``quote`` edits: words quoted in both
    texts count for nothing on either side.
    """
    pairs = monotone_pairs(
        copy_vectors,
        source_vectors,
        floor=settings.meaning_pair,
        merge_cost=settings.meaning_merge_cost,
    )
    # Shared quotes are not copying (rule 1 of unspin.verdict): a pair of sentences that
    # are mostly quotation on both sides counts for nothing, on either side.
    copy_quoted, source_quoted = _mostly_quoted(copy), _mostly_quoted(source)
    copy_lengths = _own_words(copy, [(e.copy_start, e.copy_end) for e in shared_quotes])
    source_lengths = _own_words(source, [(e.source_start, e.source_end) for e in shared_quotes])
    for p in [p for p in pairs if _quote_pair(p, copy_quoted, source_quoted)]:
        pairs.remove(p)
        for i in range(p.copy_first, p.copy_end):
            copy_lengths[i] = 0
        for j in range(p.source_first, p.source_end):
            source_lengths[j] = 0
    pairs = [p for p in pairs if sum(copy_lengths[p.copy_first : p.copy_end])]
    copy_paired = sum(sum(copy_lengths[p.copy_first : p.copy_end]) for p in pairs)
    source_paired = sum(sum(source_lengths[p.source_first : p.source_end]) for p in pairs)
    weighted = sum(p.similarity * sum(copy_lengths[p.copy_first : p.copy_end]) for p in pairs)
    # Order, judged without the monotone constraint: each copy sentence's closest
    # source sentence, where it is close enough to count.
    closest: list[int] = []
    if len(copy_vectors) and len(source_vectors):
        similarity = copy_vectors @ source_vectors.T
        for row in similarity:
            j = int(row.argmax())
            if row[j] >= settings.meaning_pair:
                closest.append(j)
    return RewriteEvidence(
        pairs=tuple(pairs),
        copy_coverage=copy_paired / max(sum(copy_lengths), 1),
        source_coverage=source_paired / max(sum(source_lengths), 1),
        similarity=weighted / copy_paired if copy_paired else 0.0,
        order=kendall_tau(closest),
    )


def _own_words(text: Text, quoted: Sequence[tuple[int, int]]) -> list[int]:
    """Words of each sentence outside the given spans of shared quotation."""
    spans = sorted(quoted)
    starts = [start for start, _ in spans]
    counts = []
    for sentence in text.sentences:
        own = 0
        for token in text.tokens[sentence.first : sentence.end]:
            k = bisect.bisect_right(starts, token.start) - 1
            own += k < 0 or token.end > spans[k][1]
        counts.append(own)
    return counts


def _mostly_quoted(text: Text) -> list[bool]:
    """For each sentence, whether most of its words stand inside quotation marks."""
    quoted = text.quoted
    return [2 * sum(quoted[s.first : s.end]) > s.end - s.first for s in text.sentences]


def _quote_pair(pair: MeaningPair, copy_quoted: list[bool], source_quoted: list[bool]) -> bool:
    return all(copy_quoted[pair.copy_first : pair.copy_end]) and all(
        source_quoted[pair.source_first : pair.source_end]
    )


def retold_sentences(
    copy: Text, source: Text, pairs: Sequence[MeaningPair]
) -> list[RetoldSentences]:
    """The pairs with character offsets into both texts, for the reports."""
    return [
        RetoldSentences(
            *_char_span(copy, p.copy_first, p.copy_end),
            *_char_span(source, p.source_first, p.source_end),
            p.similarity,
        )
        for p in pairs
    ]


def retold_edits(
    copy: Text,
    source: Text,
    pairs: Sequence[MeaningPair],
    lexicon: RelationFinder,
    *,
    settings: CheckSettings,
) -> list[Edit]:
    """The word edits inside each pair, in copy order, and every unpaired copy sentence
    as ``added``.

    Inside a pair, the words are labelled as :func:`unspin.align.align` labels
    them, except that a name or number replaced by another is ``fact_changed``:
    a rewrite that changes a date or a figure changes the story.
    """
    ranges = [
        (
            _token_range(copy, p.copy_first, p.copy_end),
            _token_range(source, p.source_first, p.source_end),
        )
        for p in pairs
    ]
    inside = pair_edits(copy, source, ranges, lexicon, settings=settings)
    starts = {p.copy_first: k for k, p in enumerate(pairs)}
    edits: list[Edit] = []
    source_at = 0
    i = 0
    while i < len(copy.sentences):
        k = starts.get(i)
        if k is None:
            start, end = _char_span(copy, i, i + 1)
            words = copy.sentences[i].end - copy.sentences[i].first
            edits.append(
                Edit("added", start, end, source_at, source_at, copy.text[start:end], "", words, 0)
            )
            i += 1
            continue
        edits.extend(_facts_changed(copy, source, edit) for edit in inside[k])
        source_at = _char_span(source, pairs[k].source_first, pairs[k].source_end)[1]
        i = pairs[k].copy_end
    return edits


def _facts_changed(copy: Text, source: Text, edit: Edit) -> Edit:
    """``fact_changed`` for a replacement whose two sides name other names or numbers."""
    if edit.type not in ("other", "synonym", "inflection"):
        return edit
    copy_facts = _fact_keys(copy, edit.copy_start, edit.copy_words)
    source_facts = _fact_keys(source, edit.source_start, edit.source_words)
    if copy_facts and source_facts and copy_facts != source_facts:
        return replace(edit, type="fact_changed")
    return edit


def _fact_keys(text: Text, start: int, words: int) -> set[str]:
    """The names and numbers among the ``words`` tokens from character ``start`` on."""
    first = bisect.bisect_left(text.tokens, start, key=lambda t: t.start)
    return {t.key for t in text.tokens[first : first + words] if t.kind in ("name", "number")}


def _char_span(text: Text, first: int, end: int) -> tuple[int, int]:
    """Character span of sentences ``first:end`` of ``text``."""
    sentences = text.sentences
    return (
        text.tokens[sentences[first].first].start,
        text.tokens[sentences[end - 1].end - 1].end,
    )


def _token_range(text: Text, first: int, end: int) -> Sentence:
    """Sentences ``first:end`` of ``text`` as one token range."""
    return Sentence(text.sentences[first].first, text.sentences[end - 1].end)

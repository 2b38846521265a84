"""The benchmark's synthetic corpus generator and its MinHash LSH baseline."""

from __future__ import annotations

import datetime
import itertools
import random
import re
from collections import Counter

import pytest
from bench.baseline import MinHashBaseline, best_threshold, shingles, sweep_thresholds
from bench.corpus import (
    MAX_WORDS,
    MIN_WORDS,
    STATEMENT_WORDS,
    Event,
    generate_corpus,
    generate_unrelated,
    make_event,
    make_shared_statement,
)
from bench.frames import FRAMES
from bench.kinds import (
    LANGUAGE_DIR,
    LANGUAGES,
    NEGATIVE_KINDS,
    NEW_KINDS,
    build_new_kinds,
    change_words,
    drop_sentence,
    half_copy,
    language_sentences,
    make_site,
    syndicate,
    units,
    words,
)
from bench.lexicon import load_lexicon
from bench.skeleton import skeleton, skeleton_stats

from unspin.model import Document
from unspin.synthetic.builders import EXCERPT_WORDS, own_words, paragraph_sentences

SEED = 3


@pytest.fixture(scope="module")
def corpus() -> list[Event]:
    return generate_corpus(40, SEED, retellings_per_event=(1, 2))


def jaccard(a: str, b: str) -> float:
    sa, sb = set(shingles(a)), set(shingles(b))
    return len(sa & sb) / len(sa | sb)


def test_generation_is_deterministic_and_prefix_stable(corpus: list[Event]) -> None:
    again = generate_corpus(6, SEED, retellings_per_event=(1, 2))
    assert again == corpus[:6]
    other = generate_corpus(6, SEED + 1, retellings_per_event=(1, 2))
    assert all(a.original.text != b.original.text for a, b in zip(again, other, strict=True))


def test_parallel_generation_gives_the_same_corpus(corpus: list[Event]) -> None:
    assert generate_corpus(6, SEED, retellings_per_event=(1, 2), workers=2) == corpus[:6]


def test_retelling_counts_follow_the_request(corpus: list[Event]) -> None:
    assert {len(e.retellings) for e in corpus} == {1, 2}
    assert all(len(e.retellings) == 0 for e in generate_corpus(3, SEED, retellings_per_event=0))


def test_ids_are_unique_across_corpus_and_unrelated(corpus: list[Event]) -> None:
    ids = [d.id for e in corpus for d in e.documents]
    ids += [d.id for d in generate_unrelated(10, SEED)]
    assert len(ids) == len(set(ids))
    assert len({e.id for e in corpus}) == len(corpus)


def test_documents_are_well_formed(corpus: list[Event]) -> None:
    for event in corpus:
        for doc in event.documents:
            words = len(doc.text.split())
            assert MIN_WORDS <= words <= MAX_WORDS, (doc.id, words)
            assert doc.title and doc.site and doc.url
            assert doc.url.startswith("https://") and doc.id in doc.url
            assert doc.published is not None
            datetime.date.fromisoformat(doc.published)
            # No template syntax may leak into the prose.
            assert not re.search(r"[{}\[\]|]", doc.text), doc.id
            assert "  " not in doc.text
            paragraphs = doc.text.split("\n\n")
            assert len(paragraphs) >= 4
            for paragraph in paragraphs:
                assert paragraph == paragraph.strip()
                assert paragraph[-1] in '.?"”', (doc.id, paragraph[-30:])


def test_every_topic_frame_generates() -> None:
    topics: set[str] = set()
    for i in range(400):
        topics.add(make_event(i, SEED, 1, namespace="frames").topic)
        if len(topics) == len(FRAMES):
            break
    assert topics == {f.name for f in FRAMES}


def test_retellings_share_names_and_numbers_but_not_wording(corpus: list[Event]) -> None:
    for event in corpus:
        original = event.original.text
        for retelling in event.retellings:
            shared_names = [n for n in event.names if n in original and n in retelling.text]
            assert len(shared_names) >= 2, (retelling.id, shared_names)
            assert any(n in original and n in retelling.text for n in event.numbers)
            assert jaccard(original, retelling.text) < 0.1, retelling.id
            assert retelling.site != event.original.site


def test_some_retellings_repeat_one_quote_verbatim(corpus: list[Event]) -> None:
    shared = 0
    for event in corpus:
        for retelling, quote in zip(event.retellings, event.shared_quotes, strict=True):
            if quote is None:
                continue
            shared += 1
            words = quote.rstrip(".?")
            assert words in event.original.text and words in retelling.text
    tellings = sum(len(e.retellings) for e in corpus)
    assert 0 < shared < tellings


def test_unrelated_texts_are_other_events(corpus: list[Event]) -> None:
    unrelated = generate_unrelated(5, SEED)
    assert unrelated == generate_unrelated(5, SEED)
    originals = {e.original.text for e in corpus}
    for doc in unrelated:
        assert doc.id.startswith("un")
        assert doc.text not in originals
        assert max(jaccard(doc.text, text) for text in originals) < 0.05


def test_sentence_skeletons_are_not_formulaic(corpus: list[Event]) -> None:
    stats = skeleton_stats(d.text for e in corpus for d in e.documents)
    assert stats.sentences > 1000
    assert stats.distinct > 0.9
    assert stats.distinct_strict > 0.8


def test_skeleton_keeps_function_words_names_and_numbers() -> None:
    sentence = "The council in Varnholt approved a budget of $3.2 million on Tuesday."
    assert skeleton(sentence) == "the _ in Varnholt _ a _ of $ 3.2 _ on Tuesday ."
    assert skeleton(sentence, strict=True) == "the _ in N _ a _ of $ 0 _ on N ."


def test_lexicon_prefers_frequent_words() -> None:
    lexicon = load_lexicon()
    assert len(lexicon.nouns) > 5000 and len(lexicon.transitive_verbs) > 1000
    rng = random.Random(0)
    draws = Counter(lexicon.nouns.pick(rng) for _ in range(5000))
    assert len(draws) > 1000  # a large vocabulary in use ...
    # ... in which common words dominate, as in real text.
    common = {"time", "year", "people", "world", "life", "day", "work", "government"}
    rare = {"zygote", "quince", "ferrule", "abacus"}
    assert sum(draws[w] for w in common) > 10 * max(1, sum(draws[w] for w in rare))


def test_baseline_finds_a_verbatim_copy_first(corpus: list[Event]) -> None:
    index = MinHashBaseline(threshold=0.5)
    for event in corpus:
        index.add(event.original.id, event.original.text)
    assert len(index) == len(corpus)
    target = corpus[7].original
    found = index.query(target.text)
    assert found[0] == (target.id, 1.0)
    assert all(a[1] >= b[1] for a, b in itertools.pairwise(found))
    unrelated = generate_unrelated(3, SEED)
    for doc in unrelated:
        assert all(score < 0.2 for _, score in index.query(doc.text))


def test_baseline_misses_independent_retellings(corpus: list[Event]) -> None:
    index = MinHashBaseline(threshold=0.5)
    index.add_many((e.original.id, e.original.text) for e in corpus)
    for event in corpus[:10]:
        assert index.query(event.retellings[0].text) == []


def test_threshold_sweep_scores_top1_attribution(corpus: list[Event]) -> None:
    index = MinHashBaseline(threshold=0.5)
    index.add_many((e.original.id, e.original.text) for e in corpus)
    # A copy with its first half cut keeps ~half its shingles: found at low
    # thresholds only.
    halves = [(e.original.text[len(e.original.text) // 2 :], e.original.id) for e in corpus[:8]]
    queries: list[tuple[str, str | None]] = [*halves]
    queries += [(d.text, None) for d in generate_unrelated(8, SEED)]
    points = sweep_thresholds(index, queries, (0.2, 0.3, 0.9))
    assert [p.threshold for p in points] == [0.2, 0.3, 0.9]
    low, middle, high = points
    assert (low.true_positives, low.false_positives, low.false_negatives) == (8, 0, 0)
    assert low.f1 == middle.f1 == 1.0
    assert high.true_positives == 0 and high.false_negatives == 8 and high.f1 == 0.0
    # Ties go to the stricter threshold.
    assert best_threshold(points) == middle


def test_shingles_of_short_texts() -> None:
    assert shingles("") == []
    assert shingles("Just three words") == [b"just three words"]
    assert len(shingles("one two three four five six")) == 2


# -- the newer benchmark kinds (bench/kinds.py) --------------------------------------


def test_shared_statement_pairs_quote_the_same_statement_and_nothing_else() -> None:
    for index in range(8):
        pair = make_shared_statement(index, SEED)
        assert pair == make_shared_statement(index, SEED)
        assert pair.original.id == f"ss{index:06d}-o" and pair.retelling.id == f"ss{index:06d}-r1"
        low, high = STATEMENT_WORDS
        assert low <= len(pair.statement.split()) <= high
        assert len(re.findall(r"[.?!]", pair.statement)) >= 2  # a few sentences
        body = pair.statement.rstrip(".?")
        for doc in (pair.original, pair.retelling):
            at = doc.text.index(body)
            assert doc.text[at - 1] in '"“'  # inside quotation marks
        # Apart from the statement, the two are independent tellings.
        rest = [doc.text.replace(body, " ") for doc in (pair.original, pair.retelling)]
        assert jaccard(*rest) < 0.1
        assert pair.original.site != pair.retelling.site


def test_syndicated_copies_wrap_the_story_in_site_lines() -> None:
    original = make_event(0, SEED, 0, namespace="sy").original
    site = make_site(3, SEED)
    assert site == make_site(3, SEED) and site != make_site(4, SEED)
    day = datetime.date.fromisoformat(original.published or "") + datetime.timedelta(days=2)
    copy = syndicate(original, site, day, "sy000000-s0001")
    assert original.text in copy.text
    furniture = copy.text.replace(original.text, "").split("\n")
    assert [line for line in furniture if line] == [*site.header, *site.footer]
    assert all(len(line.split()) < 15 for line in furniture)
    assert copy.published == day.isoformat() and copy.site == site.name


def test_language_helpers_cut_and_change_what_they_say() -> None:
    rng = random.Random(1)
    text = (
        "Titre de l'article\n\nPremière phrase ici. Deuxième phrase là ! Troisième ?\n\n"
        "Autre paragraphe avec des mots. Et une fin."
    )
    spans = language_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "Titre de l'article",
        "Première phrase ici.",
        "Deuxième phrase là !",
        "Troisième ?",
        "Autre paragraphe avec des mots.",
        "Et une fin.",
    ]
    chinese = "标题\n\n第一句话。第二句话！第三句话？"
    assert len(language_sentences(chinese)) == 4
    shorter, (start, end) = drop_sentence(text, rng)
    assert start > 0 and text[start:end] not in shorter
    assert shorter.split() == (text[:start] + text[end:]).split()
    changed, count = change_words(text, rng)
    assert count >= 2 and len(changed.split()) == len(text.split()) and changed != text
    assert units(chinese) == 14


@pytest.mark.skipif(not LANGUAGE_DIR.is_dir(), reason="no language samples")
def test_language_samples_give_partial_copies() -> None:
    for code in LANGUAGES:
        for path in sorted((LANGUAGE_DIR / code).glob("*.txt")):
            text = path.read_text(encoding="utf-8").strip()
            span = half_copy(text, random.Random(0))
            assert span is not None, path
            share = units(text[span[0] : span[1]]) / units(text)
            assert 0.3 <= share <= 0.6


def test_new_kinds_have_consistent_ground_truth(corpus: list[Event]) -> None:
    originals = [e.original for e in corpus]
    built = build_new_kinds(originals, events=100, per_cell=2, negatives=3, seed=SEED)
    again = build_new_kinds(originals, events=100, per_cell=2, negatives=3, seed=SEED)
    assert [q.document for q in built.queries] == [q.document for q in again.queries]
    archive = {d.id: d for d in [*originals, *built.archive]}
    assert len(archive) == len(originals) + len(built.archive)  # ids are unique
    kinds = {q.kind for q in built.queries}
    expected_kinds = set(NEW_KINDS) - {
        f"lang-{code}" for code in LANGUAGES if not (LANGUAGE_DIR / code).is_dir()
    }
    assert kinds == expected_kinds
    for query in built.queries:
        assert query.document.id not in archive
        if query.kind in NEGATIVE_KINDS:
            assert query.sources == [] and query.expected == "independent"
            continue
        assert query.sources and all(s in archive for s in query.sources)
        assert query.expected in ("verbatim", "spun", "partial")
        if query.kind == "stitched-20":
            assert len(set(query.sources)) == 20
        if query.passage is not None:
            start, end = query.passage
            assert own_words(query.document.text[start:end]) >= EXCERPT_WORDS
            count = int(query.kind.rsplit("-", 1)[1])
            assert sum(len(g) for g in paragraph_sentences(query.document.text[start:end])) == (
                count
            )
    # Syndicated: the original is dated before every copy of its story.
    for story in {q.sources[0] for q in built.queries if q.kind == "syndicated"}:
        original = archive[story]
        copies = [d for d in built.archive if d.id.startswith(story.removesuffix("-o") + "-s")]
        assert copies and all((c.published or "") > (original.published or "") for c in copies)
        assert all(original.text in c.text for c in copies)
    # Bullets: a subset copy is partial, a whole one is not.
    for query in built.queries:
        if query.kind == "bullets":
            whole = "whole" in query.document.id
            assert (query.expected == "partial") != whole
    # Shared statements: the retelling is a query, the original is indexed.
    statements = [q for q in built.queries if q.kind == "shared-statement"]
    assert len(statements) == 3
    assert all(q.document.id.replace("-r1", "-o") in archive for q in statements)
    assert isinstance(built.archive[0], Document)
    assert words("one two, three") == 3

"""Tests of the variant generator (unspin.synthetic) and its ground truth."""

from __future__ import annotations

import json
import re
import time
import unicodedata
from functools import cache

import lemminflect
import pytest
import wordfreq

from unspin.model import Document
from unspin.normalize import sentence_spans
from unspin.synthetic import (
    Spinner,
    Variant,
    make_variant,
    restore,
    variant_from_json,
    variant_to_json,
)
from unspin.synthetic.builders import (
    EXCERPT_WORDS,
    MARKERS,
    STYLES,
    bulletize,
    list_items,
    list_lines,
    own_words,
    paragraph_sentences,
    plain_sentence_spans,
)
from unspin.synthetic.ground_truth import CONTENT_SWAP_KINDS, VARIANT_KINDS, Swap

# A fictional story of about 400 words, written for these tests.
STORY = """Putin showed the Hollywood actor where to sign. The ceremony took place in a small hall \
near the river, and officials said the new passport was ready within hours.
Officials later explained that the decision followed a long review. "We are absolutely \
delighted to welcome him," a spokesman told reporters. The actor smiled, waved and thanked the \
crowd.
Critics expressed anger over the tax arrangements, which they described as unusually generous. \
Gérard Fontaine, a local economist, argued that the rules had been bent for a famous guest. He \
estimated the cost at 3.5 million euros, a figure the ministry quickly disputed.
The government rejected the claims and insisted the process was entirely routine. Mr. Fontaine \
said he would continue to study the figures and publish a detailed report in March.
Meanwhile, the actor began a short tour of the region. He visited a busy market, tasted local \
food and spoke briefly to students at a music school. Many residents seemed pleased, although \
some complained about heavy traffic and closed roads.
The visit also raised questions about security. Police closed several streets for 12 hours, and \
shop owners reported a sharp drop in sales. One baker said the day had been difficult but \
memorable.
Analysts believe the episode shows how celebrity diplomacy has become a powerful tool. They \
warned that such gestures can hide serious problems, including weak courts and rising prices.
The actor, who starred in 40 films, has not commented on the criticism. His agent said he was \
grateful for the warm reception and hoped to return soon.
In the capital, the story dominated the evening news. Presenters described the meeting as \
historic, while independent websites offered a more careful view. A small group of protesters \
gathered outside the ministry but left quietly after an hour.
Local historians noted that the town had welcomed famous visitors before. A popular singer \
once stayed for a week, and an elderly painter bought a house near the harbour. Neither visit \
attracted much attention, partly because both guests avoided the press and lived simply.
The new citizen is expected to attend a film festival next month. Organisers said tickets sold \
quickly and that the main event would take place in a renovated theatre.
Observers will watch closely to see whether the friendship lasts. For now, both men appear \
happy with the arrangement, and the passport sits in a glass case at the local museum.
"""

SECOND = """The harbour authority approved a plan to expand the northern dock. Engineers said the \
work would begin in spring and finish within two years.
Fishermen welcomed the decision but asked for better access during construction. A spokesman \
promised regular meetings with local groups.
The project will cost 18 million pounds, paid partly by a regional fund. Critics warned that \
the budget could grow."""

THIRD = """A quiet village held its annual cheese fair on Sunday. Visitors tasted dozens of \
varieties and voted for their favourite.
The winning cheese came from a small farm in the hills. Its owner said the recipe had been in \
the family for generations.
Next year the organisers hope to invite producers from abroad."""

# Lemma-level synonyms for the fake lexicon, in the spirit of unspin.lexicon.
SYNONYMS: dict[str, list[str]] = {
    "show": ["present", "demonstrate", "display"],
    "actor": ["star", "performer", "player"],
    "sign": ["endorse", "autograph"],
    "ceremony": ["event", "ritual", "celebration"],
    "take": ["occur", "happen"],
    "place": ["location", "venue", "site"],
    "small": ["little", "modest", "tiny"],
    "hall": ["room", "chamber", "venue"],
    "river": ["stream", "waterway"],
    "official": ["authority", "administrator"],
    "say": ["state", "declare", "report"],
    "new": ["fresh", "recent", "novel"],
    "passport": ["travel document"],
    "ready": ["prepared", "available"],
    "hour": ["hr"],
    "explain": ["clarify", "describe"],
    "decision": ["choice", "ruling", "verdict"],
    "follow": ["pursue", "trail"],
    "long": ["lengthy", "extended", "prolonged"],
    "review": ["assessment", "evaluation", "inspection"],
    "absolutely": ["perfectly", "completely", "totally"],
    "delighted": ["thrilled", "pleased", "happy"],
    "welcome": ["greet", "receive"],
    "tell": ["inform", "notify"],
    "reporter": ["journalist", "correspondent"],
    "smile": ["grin", "beam"],
    "wave": ["gesture", "signal"],
    "thank": ["acknowledge", "credit"],
    "crowd": ["audience", "throng", "mass"],
    "critic": ["detractor", "opponent"],
    "express": ["voice", "state"],
    "anger": ["ire", "fury", "rage"],
    "tax": ["levy", "duty"],
    "arrangement": ["deal", "agreement", "plan"],
    "describe": ["characterize", "portray", "depict"],
    "unusually": ["exceptionally", "remarkably"],
    "generous": ["lavish", "liberal", "kind"],
    "local": ["regional", "nearby"],
    "economist": ["analyst"],
    "argue": ["contend", "claim", "maintain"],
    "rule": ["regulation", "law"],
    "bend": ["twist", "stretch"],
    "famous": ["celebrated", "renowned", "well-known"],
    "guest": ["visitor", "caller"],
    "estimate": ["calculate", "reckon", "gauge"],
    "cost": ["price", "expense"],
    "figure": ["number", "amount"],
    "quickly": ["rapidly", "swiftly", "fast"],
    "dispute": ["contest", "challenge", "question"],
    "government": ["administration", "regime"],
    "reject": ["dismiss", "refuse", "deny"],
    "claim": ["allegation", "assertion"],
    "insist": ["maintain", "assert"],
    "process": ["procedure", "operation"],
    "entirely": ["completely", "wholly"],
    "routine": ["normal", "ordinary", "standard"],
    "continue": ["keep on", "go on", "proceed"],
    "study": ["examine", "analyze", "scrutinize"],
    "publish": ["release", "issue"],
    "detailed": ["thorough", "comprehensive"],
    "report": ["account", "document"],
    "begin": ["start", "commence", "set about"],
    "short": ["brief", "quick"],
    "tour": ["trip", "journey", "visit"],
    "region": ["area", "district"],
    "visit": ["tour", "see", "call on"],
    "busy": ["bustling", "crowded", "hectic"],
    "market": ["bazaar", "marketplace"],
    "taste": ["sample", "try"],
    "food": ["cuisine", "fare"],
    "speak": ["talk", "chat"],
    "briefly": ["shortly", "quickly"],
    "student": ["pupil", "learner"],
    "school": ["academy", "college"],
    "resident": ["inhabitant", "local"],
    "seem": ["appear", "look"],
    "pleased": ["glad", "happy", "satisfied"],
    "complain": ["grumble", "protest", "moan"],
    "heavy": ["dense", "severe"],
    "traffic": ["congestion"],
    "close": ["shut", "block"],
    "road": ["street", "route"],
    "raise": ["prompt", "provoke"],
    "question": ["doubt", "query", "issue"],
    "security": ["safety", "protection"],
    "street": ["road", "avenue"],
    "shop": ["store", "boutique"],
    "owner": ["proprietor", "holder"],
    "sharp": ["steep", "abrupt"],
    "drop": ["fall", "decline"],
    "sale": ["revenue", "purchase"],
    "day": ["date"],
    "difficult": ["hard", "tough", "challenging"],
    "memorable": ["unforgettable", "notable"],
    "analyst": ["expert", "commentator"],
    "believe": ["think", "consider", "reckon"],
    "episode": ["incident", "event", "affair"],
    "powerful": ["potent", "strong", "mighty"],
    "tool": ["instrument", "device"],
    "warn": ["caution", "alert"],
    "gesture": ["signal", "sign"],
    "hide": ["conceal", "mask"],
    "serious": ["grave", "severe"],
    "problem": ["issue", "difficulty"],
    "weak": ["feeble", "fragile"],
    "court": ["tribunal"],
    "rise": ["climb", "increase", "go up"],
    "price": ["cost", "charge"],
    "star": ["feature", "headline"],
    "film": ["movie", "picture"],
    "comment": ["remark", "observe"],
    "criticism": ["censure", "condemnation"],
    "agent": ["representative", "manager"],
    "grateful": ["thankful", "appreciative"],
    "warm": ["friendly", "cordial"],
    "reception": ["welcome", "greeting"],
    "hope": ["wish", "expect"],
    "return": ["come back", "go back"],
    "soon": ["shortly"],
    "capital": ["metropolis"],
    "story": ["account", "report", "tale"],
    "dominate": ["control", "lead"],
    "evening": ["night"],
    "news": ["bulletin"],
    "presenter": ["host", "anchor"],
    "meeting": ["encounter", "gathering"],
    "historic": ["momentous", "landmark"],
    "independent": ["autonomous", "free"],
    "website": ["site", "portal"],
    "offer": ["provide", "give"],
    "careful": ["cautious", "measured"],
    "view": ["opinion", "perspective"],
    "group": ["band", "cluster"],
    "protester": ["demonstrator"],
    "gather": ["assemble", "congregate"],
    "leave": ["depart", "exit"],
    "quietly": ["silently", "calmly"],
    "citizen": ["national", "subject"],
    "expect": ["anticipate", "await"],
    "attend": ["visit", "go to"],
    "festival": ["fair", "gala"],
    "month": ["period"],
    "organiser": ["planner", "host"],
    "ticket": ["pass", "seat"],
    "sell": ["trade", "retail"],
    "main": ["principal", "chief"],
    "event": ["occasion", "function"],
    "renovated": ["restored", "refurbished"],
    "theatre": ["playhouse", "auditorium"],
    "observer": ["watcher", "spectator"],
    "watch": ["observe", "monitor"],
    "closely": ["carefully", "attentively"],
    "friendship": ["bond", "relationship"],
    "last": ["endure", "continue"],
    "man": ["gentleman", "fellow"],
    "appear": ["seem", "look"],
    "happy": ["content", "cheerful", "glad"],
    "sit": ["rest", "stand"],
    "glass": ["crystal"],
    "case": ["cabinet", "box"],
    "museum": ["gallery"],
    "visitor": ["guest", "tourist"],
    "village": ["hamlet"],
    "cheese": ["fromage"],
    "recipe": ["formula"],
    "farm": ["ranch", "homestead"],
    "historian": ["scholar", "chronicler"],
    "note": ["observe", "remark", "point out"],
    "town": ["city", "municipality"],
    "popular": ["beloved", "favourite", "well-liked"],
    "singer": ["vocalist"],
    "stay": ["remain", "linger"],
    "week": ["seven days"],
    "elderly": ["aged", "older"],
    "painter": ["artist"],
    "buy": ["purchase", "acquire"],
    "house": ["home", "residence"],
    "attract": ["draw", "gain"],
    "attention": ["notice", "interest"],
    "partly": ["partially", "somewhat"],
    "avoid": ["shun", "evade", "dodge"],
    "press": ["media"],
    "live": ["reside", "dwell"],
    "simply": ["modestly", "plainly"],
}


class FakeLexicon:
    """The lexicon interface from lemminflect and wordfreq with a small synonym table."""

    def synonyms(self, word: str, pos: str | None = None, limit: int = 50) -> list[str]:
        return SYNONYMS.get(word, [])[:limit]

    def lemmas(self, word: str) -> dict[str, list[str]]:
        return {upos: list(lemmas) for upos, lemmas in lemminflect.getAllLemmas(word).items()}

    def inflect(self, lemma: str, tag: str) -> str | None:
        forms = lemminflect.getInflection(lemma, tag)
        return forms[0] if forms else None

    def zipf(self, word: str) -> float:
        return float(wordfreq.zipf_frequency(word, "en"))


@cache
def fake_spinner() -> Spinner:
    return Spinner(lexicon=FakeLexicon(), seed=0)


def docs() -> list[Document]:
    return [Document("story", STORY), Document("harbour", SECOND), Document("cheese", THIRD)]


def content_swaps(variant: Variant) -> int:
    return sum(1 for s in variant.swaps if s.kind in CONTENT_SWAP_KINDS)


def assert_offsets(variant: Variant) -> None:
    for swap in variant.swaps:
        assert variant.text[swap.start : swap.end] == swap.text, swap


KINDS = tuple(kind for kind in VARIANT_KINDS if kind != "independent")


def test_story_is_about_400_words() -> None:
    assert 380 <= len(STORY.split()) <= 480


@pytest.mark.parametrize("kind", KINDS)
def test_same_seed_same_variant_and_offsets_exact(kind: str) -> None:
    first = make_variant(kind, docs(), seed=11, spinner=fake_spinner())
    # A fresh spinner (empty caches) and calls in between must not matter.
    make_variant("spun", docs(), seed=99, spinner=fake_spinner())
    again = make_variant(kind, docs(), seed=11, spinner=Spinner(lexicon=FakeLexicon(), seed=5))
    assert first == again
    assert first.kind == kind
    assert_offsets(first)
    if kind != "verbatim":
        assert make_variant(kind, docs(), seed=12, spinner=fake_spinner()).text != first.text


@pytest.mark.parametrize("rate", [0.1, 0.3, 0.5])
def test_swap_rate_is_hit(rate: float) -> None:
    spinner = fake_spinner()
    swappable = len(spinner.swappable(STORY))
    assert swappable > 120
    for seed in range(5):
        variant = spinner.spin(STORY, rate, seed=seed)
        assert abs(content_swaps(variant) / swappable - rate) <= 0.05


def test_round_trip_restores_the_source() -> None:
    spinner = fake_spinner()
    kinds_seen: set[str] = set()
    for seed in range(30):
        variant = spinner.spin(
            STORY, 0.5, insert_rate=0.08, delete_rate=0.08, phrase_rate=0.3, seed=seed
        )
        assert_offsets(variant)
        assert restore(variant.text, variant.swaps) == STORY
        kinds_seen |= {s.kind for s in variant.swaps}
    assert kinds_seen == {"synonym", "inflection", "phrase", "insertion", "deletion"}


def test_swaps_look_like_spinner_output() -> None:
    variant = fake_spinner().spin(STORY, 0.5, phrase_rate=0.3, seed=3)
    swaps = [s for s in variant.swaps if s.kind in CONTENT_SWAP_KINDS]
    phrases = [s for s in swaps if s.kind == "phrase"]
    clumsy = [s for s in swaps if s.kind == "inflection"]
    assert " " in phrases[0].text
    assert 0.2 <= len(phrases) / len(swaps) <= 0.4
    assert 0.03 <= len(clumsy) / len(swaps) <= 0.2
    for swap in swaps:
        assert swap.text != swap.original
        assert swap.text[0].isupper() == swap.original[0].isupper()


# Words of STORY whose form is unambiguous, with their Penn tag.
FORMS = {
    "showed": "VBD",
    "explained": "VBD",
    "argued": "VBD",
    "visited": "VBD",
    "officials": "NNS",
    "reporters": "NNS",
    "students": "NNS",
    "residents": "NNS",
}


def test_synonyms_keep_the_form_of_the_word_they_replace() -> None:
    checked = 0
    for seed in range(5):
        variant = fake_spinner().spin(STORY, 1.0, phrase_rate=0.0, seed=seed)
        for swap in variant.swaps:
            tag = FORMS.get(swap.original.lower())
            if swap.kind != "synonym" or tag is None:
                continue
            word = swap.text.lower()  # "showed" -> "presented", "officials" -> "authorities"
            lemmas = [lemma for group in lemminflect.getAllLemmas(word).values() for lemma in group]
            assert any(word in lemminflect.getInflection(lemma, tag) for lemma in lemmas), swap
            checked += 1
    assert checked >= 20


def test_punctuation_names_and_numbers_survive() -> None:
    def frozen(text: str) -> list[str]:
        # Punctuation, numbers and capitalised words after the sentence start
        # (hyphens of synonyms like "well-known" aside).
        text = re.sub(r"(?<=[a-z])-(?=[a-z])", "", text)
        return re.findall(r"[^\w\s]|\d[\d.,]*|(?<=[a-z,] )[A-Z]\w+", text)

    for seed in range(10):
        variant = fake_spinner().spin(STORY, 0.6, seed=seed)
        assert frozen(variant.text) == frozen(STORY)
        for swap in variant.swaps:
            assert not re.search(r"\d", swap.original)
            assert not re.search(r"Putin|Hollywood|Fontaine|Gérard|March", swap.original)


def test_spare_quotes_leaves_quotations_alone() -> None:
    quote = STORY.index('"We are')
    quote_end = STORY.index('"', quote + 1)
    for seed in range(10):
        variant = fake_spinner().spin(STORY, 0.9, spare_quotes=True, seed=seed)
        assert STORY[quote : quote_end + 1] in variant.text
    spun_quotes = [fake_spinner().spin(STORY, 0.9, seed=seed).text for seed in range(10)]
    assert any(STORY[quote : quote_end + 1] not in text for text in spun_quotes)


def test_homoglyph_variant_has_non_latin_letters() -> None:
    for seed in range(5):
        variant = make_variant("homoglyph", docs(), seed=seed, spinner=fake_spinner())
        foreign = [
            c
            for c in variant.text
            if c.isalpha() and unicodedata.name(c).split()[0] in ("CYRILLIC", "GREEK")
        ]
        assert foreign
        words = re.findall(r"\S+", variant.text)
        disguised = [w for w in words if any(c in foreign or c in "\u200b\u200c\u2060" for c in w)]
        assert 0.03 * len(words) <= len(disguised) <= 0.2 * len(words)
        assert_offsets(variant)


def test_encoding_loss_removes_non_ascii_letters() -> None:
    modes: set[str] = set()
    for seed in range(12):
        variant = make_variant("encoding_loss", docs(), seed=seed, spinner=fake_spinner())
        assert_offsets(variant)
        # Mojibake of punctuation ("â€™") is the only non-ASCII letter left.
        letters = [c for c in variant.text.replace("â€", "") if c.isalpha() and not c.isascii()]
        assert letters == []
        modes |= {m for m in ("Grard", "G?rard", "G\ufffdrard") if m in variant.text}
    assert modes == {"Grard", "G?rard", "G\ufffdrard"}


def test_stitched_spans_cover_every_source() -> None:
    for count in (2, 3):
        sources = docs()[:count]
        by_id = {d.id: d for d in sources}
        for seed in range(5):
            variant = make_variant("stitched", sources, seed=seed, spinner=fake_spinner())
            assert sorted(variant.source_ids) == sorted(by_id)
            assert [span[0] for span in variant.source_spans] == variant.source_ids
            passages = [by_id[sid].text[start:end] for sid, start, end in variant.source_spans]
            assert restore(variant.text, variant.swaps) == "\n\n".join(passages)
            assert all(passages)


def test_partial_takes_a_quarter_to_sixty_percent_of_sentences() -> None:
    sentences = sentence_spans(STORY)
    for seed in range(20):
        variant = make_variant("partial", docs(), seed=seed, spinner=fake_spinner())
        ((_, start, end),) = variant.source_spans
        used = [s for s in sentences if start <= s[0] and s[1] <= end]
        assert used[0][0] == start and used[-1][1] == end
        assert 0.25 * len(sentences) <= len(used) <= 0.6 * len(sentences)
        assert restore(variant.text, variant.swaps) == STORY[start:end]


def test_boilerplate_wraps_the_spun_text() -> None:
    for seed in range(5):
        variant = make_variant("boilerplate", docs(), seed=seed, spinner=fake_spinner())
        spun = make_variant("spun", docs(), seed=seed, spinner=fake_spinner())
        assert_offsets(variant)
        assert [s.text for s in variant.swaps] == [s.text for s in spun.swaps]
        assert "All rights reserved." in variant.text
        first, last = spun.text.split("\n")[0], spun.text.rstrip().split("\n")[-1]
        assert variant.text.index(first) > 0
        assert variant.text.index(last) < len(variant.text) - len(last)


def test_verbatim_is_the_source_up_to_whitespace() -> None:
    for seed in range(5):
        variant = make_variant("verbatim", docs(), seed=seed, spinner=fake_spinner())
        assert variant.swaps == []
        assert variant.text.split() == STORY.split()


def test_bad_requests_raise_clear_errors() -> None:
    with pytest.raises(ValueError, match="different author"):
        make_variant("independent", docs(), spinner=fake_spinner())
    with pytest.raises(ValueError, match="unknown variant kind"):
        make_variant("rewritten", docs(), spinner=fake_spinner())
    with pytest.raises(ValueError, match="two sources"):
        make_variant("stitched", docs()[:1], spinner=fake_spinner())
    with pytest.raises(ValueError, match="at least one source"):
        make_variant("spun", [], spinner=fake_spinner())
    with pytest.raises(ValueError, match="rate"):
        fake_spinner().spin(STORY, 1.5)


def test_json_round_trip() -> None:
    variant = make_variant("stitched", docs(), seed=4, spinner=fake_spinner())
    data = json.loads(json.dumps(variant_to_json(variant)))
    assert variant_from_json(data) == variant


def _real_spinner() -> Spinner:
    lexicon = pytest.importorskip("unspin.lexicon")
    if not hasattr(lexicon, "get_lexicon"):
        pytest.skip("unspin.lexicon.get_lexicon is not available")
    return Spinner(seed=0)


def test_real_lexicon_spins_with_exact_ground_truth() -> None:
    spinner = _real_spinner()
    # make_variant's default spinner is the real lexicon's too.
    default = make_variant("spun", docs(), seed=2)
    assert default == make_variant("spun", docs(), seed=2, spinner=spinner)
    assert content_swaps(default) > 20
    swappable = len(spinner.swappable(STORY))
    assert swappable > 100
    for rate in (0.1, 0.3, 0.5):
        variant = spinner.spin(STORY, rate, seed=1)
        assert abs(content_swaps(variant) / swappable - rate) <= 0.05
        assert restore(variant.text, variant.swaps) == STORY
    words = len(STORY.split())
    started = time.perf_counter()
    for seed in range(20):
        spinner.spin(STORY, 0.3, seed=seed)
    per_500_words = (time.perf_counter() - started) / 20 * 500 / words
    assert per_500_words < 0.05  # target 20 ms; slack for busy test machines


# -- the restructuring kinds -------------------------------------------------------


def sentences_of(text: str) -> list[tuple[int, int]]:
    return [span for group in paragraph_sentences(text) for span in group]


def restored_pieces(variant: Variant) -> list[str]:
    """Each copy span with the swaps inside it undone."""
    pieces = []
    for start, end in variant.copy_spans:
        inside = [
            Swap(s.start - start, s.end - start, s.text, s.original, s.kind)
            for s in variant.swaps
            if start <= s.start and s.end <= end
        ]
        pieces.append(restore(variant.text[start:end], inside))
    return pieces


def source_pieces(variant: Variant, sources: list[Document]) -> list[str]:
    by_id = {d.id: d.text for d in sources}
    return [by_id[sid][start:end] for sid, start, end in variant.source_spans]


def assert_ground_truth(variant: Variant, sources: list[Document]) -> None:
    """Offsets exact, one copy span per source span, every swap inside a copy span,
    and undoing the swaps of a copy span gives its source span back."""
    assert_offsets(variant)
    assert len(variant.copy_spans) == len(variant.source_spans) >= 1
    assert all(
        any(start <= s.start and s.end <= end for start, end in variant.copy_spans)
        for s in variant.swaps
    )
    assert variant.source_ids == list(dict.fromkeys(sid for sid, _, _ in variant.source_spans))
    if variant.kind != "reflowed":
        assert restored_pieces(variant) == source_pieces(variant, sources)


def test_plain_sentence_splitter_handles_news_prose() -> None:
    text = (
        'Mr. Fontaine left in 1998. Prices rose. "Why now?" Smith asked. "We agree," '
        "she said. $4 million was spent. J. Smith won.\nA new line starts here"
    )
    assert [text[s:e] for s, e in plain_sentence_spans(text)] == [
        "Mr. Fontaine left in 1998.",
        "Prices rose.",
        '"Why now?" Smith asked.',
        '"We agree," she said.',
        "$4 million was spent.",
        "J. Smith won.",
        "A new line starts here",
    ]
    assert len(sentences_of(STORY)) == len(sentence_spans(STORY))


@pytest.mark.parametrize("kind", ["reordered", "reflowed", "repeated", "bullets"])
def test_every_style_keeps_its_ground_truth(kind: str) -> None:
    for style in STYLES[kind]:
        for seed in range(3):
            for rate in (0.0, 0.3):
                variant = make_variant(
                    kind, docs(), rate=rate, seed=seed, style=style, spinner=fake_spinner()
                )
                assert variant == make_variant(
                    kind,
                    docs(),
                    rate=rate,
                    seed=seed,
                    style=style,
                    spinner=Spinner(lexicon=FakeLexicon(), seed=9),
                )
                assert variant.source_ids == ["story"]
                assert_ground_truth(variant, docs())
                if rate == 0.0:
                    assert variant.swaps == []
                else:
                    assert content_swaps(variant) > 0


def test_reordered_copies_every_sentence_once_in_a_new_order() -> None:
    sentences = sentences_of(STORY)
    paragraphs = [(g[0][0], g[-1][1]) for g in paragraph_sentences(STORY)]
    for seed in range(5):
        reversed_ = make_variant(
            "reordered", docs(), rate=0.0, seed=seed, style="reversed", spinner=fake_spinner()
        )
        assert [(s, e) for _, s, e in reversed_.source_spans] == sentences[::-1]
        assert sorted(reversed_.text.split()) == sorted(STORY.split())
        shuffled = make_variant(
            "reordered", docs(), rate=0.0, seed=seed, style="shuffled", spinner=fake_spinner()
        )
        order = [(s, e) for _, s, e in shuffled.source_spans]
        assert sorted(order) == sentences and order != sentences
        swapped = make_variant(
            "reordered", docs(), rate=0.0, seed=seed, style="paragraphs", spinner=fake_spinner()
        )
        order = [(s, e) for _, s, e in swapped.source_spans]
        assert sorted(order) == paragraphs and order != paragraphs
        assert len(swapped.text.split("\n\n")) == len(paragraphs)


def test_reflowed_changes_only_layout_punctuation_or_case() -> None:
    def words(text: str) -> list[str]:
        return re.findall(r"[^\W_]+(?:['’][^\W_]+)*", text.lower())

    for seed in range(4):
        for style in STYLES["reflowed"]:
            variant = make_variant(
                "reflowed", docs(), rate=0.0, seed=seed, style=style, spinner=fake_spinner()
            )
            text = variant.text
            # No word is lost or changed, only the layout around the words.
            assert words(text) == words(STORY)
            if style == "joined":
                assert "\n" not in text
            elif style == "wrapped":
                lines = text.split("\n")
                assert len(lines) > len(paragraph_sentences(STORY))
                assert all(len(line) <= 80 for line in lines)
            elif style == "lines":
                assert text.strip().split("\n") == [STORY[s:e] for s, e in sentences_of(STORY)]
            elif style == "punctuation":
                assert not re.search(r"[.,!?]", re.sub(r"(?<=\d)[.,](?=\d)", "", text))
                assert "3.5 million" in text
            else:
                assert text == STORY.upper()
        spun = make_variant(
            "reflowed", docs(), rate=0.3, seed=seed, style="caps", spinner=fake_spinner()
        )
        assert spun.text == spun.text.upper() and spun.swaps
        # Undoing the swaps puts the source's words back (in their own case).
        assert restored_pieces(spun)[0].upper() == STORY.upper()


def test_repeated_copies_repeat_and_keep_everything() -> None:
    paragraphs = [(g[0][0], g[-1][1]) for g in paragraph_sentences(STORY)]
    for seed in range(5):
        for style in STYLES["repeated"]:
            variant = make_variant(
                "repeated", docs(), rate=0.0, seed=seed, style=style, spinner=fake_spinner()
            )
            spans = [(s, e) for _, s, e in variant.source_spans]
            assert len(spans) > len(set(spans))  # something is there twice
            covered = " ".join(STORY[s:e] for s, e in sorted(set(spans)))
            assert sorted(covered.split()) == sorted(STORY.split())
            if style == "twice":
                assert spans == paragraphs + paragraphs


def test_bulletize_writes_a_list_article() -> None:
    import random

    for seed in range(10):
        text = bulletize(STORY, random.Random(seed), title="Actor gets his passport.")
        assert text == bulletize(STORY, random.Random(seed), title="Actor gets his passport.")
        lines = text.split("\n")
        assert lines[0] == "Actor gets his passport"
        items = list_items(text)
        assert 8 <= len(items) <= 14
        markers = {marker for _, _, marker in list_lines(text) if marker}
        assert len(markers) == 1 and markers <= set(MARKERS)
        item_texts = [text[s:e] for s, e in items]
        starts = [STORY[s:e] for s, e in sentences_of(STORY)][: len(items)]
        assert [t.rstrip(".") for t in item_texts] == [t.rstrip(".") for t in starts]


def test_bullets_keep_the_items_asked_for() -> None:
    import random

    source = Document("list", bulletize(STORY, random.Random(3), title="Passport for an actor"))
    items = list_items(source.text)
    (source_marker,) = {marker for _, _, marker in list_lines(source.text) if marker}
    for seed in range(6):
        for style in STYLES["bullets"]:
            whole = make_variant(
                "bullets", [source], rate=0.2, seed=seed, style=style, spinner=fake_spinner()
            )
            assert_ground_truth(whole, [source])
            assert len(whole.source_spans) == len(list_lines(source.text))
            cut = make_variant(
                "bullets",
                [source],
                rate=0.2,
                seed=seed,
                style=style,
                size=4,
                spinner=fake_spinner(),
            )
            assert_ground_truth(cut, [source])
            kept = [(s, e) for _, s, e in cut.source_spans]
            assert len(kept) == 4 and kept == sorted(kept) and set(kept) <= set(items)
            markers = {marker for _, _, marker in list_lines(cut.text) if marker}
            if style == "flattened":
                assert markers == set() and "\n\n" in cut.text
            else:
                assert len(markers) == 1 and source_marker not in markers
    prose = make_variant(
        "bullets", docs(), rate=0.0, seed=1, style="rebulleted", spinner=fake_spinner()
    )
    assert len(list_items(prose.text)) == len(sentences_of(STORY))


def test_excerpt_is_consecutive_sentences_inside_a_host_text() -> None:
    story = docs()[0]
    host = Document("host", THIRD + "\n\n" + SECOND)
    for size in (2, 3, 4):
        for seed in range(6):
            variant = make_variant(
                "excerpt", [story, host], rate=0.3, seed=seed, size=size, spinner=fake_spinner()
            )
            assert_ground_truth(variant, [story])
            assert variant.source_ids == ["story"]
            ((_, start, end),) = variant.source_spans
            ((copy_start, copy_end),) = variant.copy_spans
            excerpt = STORY[start:end]
            assert len(sentences_of(excerpt)) == size
            # At least 40 words where the story has such a run of sentences.
            spans = sentences_of(STORY)
            longest = max(
                own_words(STORY[spans[i][0] : spans[i + size - 1][1]])
                for i in range(len(spans) - size + 1)
            )
            assert own_words(excerpt) >= min(EXCERPT_WORDS, longest)
            assert '"' not in excerpt
            outside = variant.text[:copy_start] + " " + variant.text[copy_end:]
            assert sorted(outside.split()) == sorted(host.text.split())
    alone = make_variant("excerpt", [story], rate=0.0, seed=1, size=2, spinner=fake_spinner())
    ((_, start, end),) = alone.source_spans
    assert alone.text == STORY[start:end]


def test_stitched_can_take_many_short_passages() -> None:
    halves = STORY.split("\n")
    sources = [
        *docs(),
        Document("first-half", "\n".join(halves[:7])),
        Document("second-half", "\n".join(halves[7:])),
    ]
    for seed in range(5):
        variant = make_variant(
            "stitched", sources, rate=0.2, seed=seed, size=5, spinner=fake_spinner()
        )
        assert_ground_truth(variant, sources)
        assert sorted(variant.source_ids) == sorted(d.id for d in sources)
        for passage in source_pieces(variant, sources):
            assert 2 <= len(sentences_of(passage)) <= 6
        # Without ``size``, at most three sources, as before.
        assert (
            len(make_variant("stitched", sources, seed=seed, spinner=fake_spinner()).source_ids)
            <= 3
        )


def test_existing_kinds_report_copy_spans() -> None:
    for kind in KINDS[: KINDS.index("encoding_loss") + 1]:  # the kinds before layouts
        variant = make_variant(kind, docs(), seed=2, spinner=fake_spinner())
        assert len(variant.copy_spans) == len(variant.source_spans)
        if kind in ("spun", "partial", "stitched"):
            assert restored_pieces(variant) == source_pieces(variant, docs())
    wrapped = make_variant("boilerplate", docs(), seed=2, spinner=fake_spinner())
    ((start, end),) = wrapped.copy_spans
    assert wrapped.text[:start].strip() and wrapped.text[end:].strip().endswith("reserved.")


def test_bad_styles_and_sizes_raise_clear_errors() -> None:
    with pytest.raises(ValueError, match="unknown style"):
        make_variant("reordered", docs(), style="sideways", spinner=fake_spinner())
    with pytest.raises(ValueError, match="unknown style"):
        make_variant("spun", docs(), style="reversed", spinner=fake_spinner())
    with pytest.raises(ValueError, match="size"):
        make_variant("spun", docs(), size=3, spinner=fake_spinner())
    with pytest.raises(ValueError, match="stitched variant of 5"):
        make_variant("stitched", docs(), size=5, spinner=fake_spinner())


def test_json_round_trip_keeps_copy_spans() -> None:
    variant = make_variant("repeated", docs(), seed=4, spinner=fake_spinner())
    assert variant.copy_spans
    assert variant_from_json(json.loads(json.dumps(variant_to_json(variant)))) == variant

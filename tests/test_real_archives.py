# ruff: noqa: E501  (the fixture articles keep one paragraph per line, as crawled text does)
"""Archives shaped like the real world: each test is one failure a new user hit.

Syndicated stories, sources that repeat themselves, short lifted passages,
lists instead of prose, reordered copies, stitched copies with many sources,
and two reports quoting one statement. The texts are fictional and written
for these tests.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from unspin import Document, Index
from unspin.model import COPY_VERDICTS, CheckResult, Match
from unspin.normalize import sentence_spans
from unspin.synthetic import boilerplate, make_variant

DATA = Path(__file__).parent / "data"

# A wire story of the kind that is reprinted everywhere.
WIRE_STORY = """Ferry operator suspends island crossings after engine fire

The Brackwater Line suspended all crossings to the Solvik islands on Monday after a fire broke out in the engine room of its largest vessel, the Marit Aalund, shortly after it left the port of Tessary with 212 passengers on board.

Crew members put out the fire within twenty minutes and nobody was hurt, the company said, but the ship lost power and had to be towed back to harbour by two tugboats, a journey that took almost four hours in rough seas.

Islanders who rely on the ferry for food, medicine and school transport said the suspension could not have come at a worse time, with the winter timetable already cut to three sailings a day and the only other vessel in dry dock until March.

The maritime safety agency has opened an investigation and said inspectors would board the Marit Aalund on Tuesday. A spokesman for the Brackwater Line said replacement boats were being chartered from a company in Ostrand and that limited crossings could resume by the weekend.
"""

# One paragraph of two sentences, printed three times (a pasted block), and
# three copies of it with four words swapped in each.
REPEATED_PARAGRAPH = (
    "Volunteers at the Harrowgate food bank handed out parcels to more than 900 families "
    "last month, almost twice as many as a year ago. The manager said the shelves were "
    "emptying faster than donors could fill them and asked local shops for help."
)
REPEATED_PARAGRAPH_SPUN = (
    "Volunteers at the Harrowgate food bank gave out packages to more than 900 households "
    "last month, nearly twice as many as a year ago. The manager said the shelves were "
    "emptying faster than donors could fill them and asked local shops for help.",
    "Volunteers at the Harrowgate food bank handed out parcels to more than 900 families "
    "previous month, almost double as many as a year ago. The director said the racks were "
    "emptying faster than donors could fill them and asked local shops for help.",
    "Volunteers at the Harrowgate food bank handed out parcels to more than 900 families "
    "last month, almost twice as many as a year ago. The manager stated the shelves were "
    "draining faster than donors could fill them and requested local stores for help.",
)

# An article of its own, into which a short passage of another is pasted.
HOST_ARTICLE = """Library extends opening hours for exam season

The central library in Corrowby will stay open until ten in the evening from next week, giving students a quiet place to revise before the summer exams.

The longer hours will run for six weeks and cost the council about 18,000 pounds, most of it for extra staff and heating.

Students who asked for the change collected more than 1,400 signatures in a petition last autumn.
"""

BULLET_SOURCE = """Quake and tsunami: what we know so far

■ The death toll in Pelmora from the quake and tsunami could reach into the thousands, officials said on Sunday
■ The magnitude 7.4 quake struck off the coast of Varenna province at 6.02 pm on Friday
■ Waves up to six metres high swept through the harbour town of Lessin, destroying hundreds of homes
■ Rescue teams from twelve countries have arrived, but roads into the worst hit districts remain blocked
■ The national power company said electricity had been restored to 40 percent of homes in the province
■ Hospitals in the provincial capital are treating more than 1,800 injured people, many in tents outside
■ President Aurelio Mandane declared a state of emergency and said the army would deliver food and water
■ Aid agencies warned of a shortage of clean water and said the risk of disease was growing by the day
"""

STATEMENT = (
    "“We are deeply sorry for the disruption this has caused to our customers and to the "
    "communities we serve. The safety of our passengers and crew will always come first, "
    "and we will not return any vessel to service until the investigators are satisfied "
    "that it is safe. We are working around the clock to restore a full timetable and will "
    "refund every ticket for a cancelled crossing in full.”"
)
REPORT_A = f"""Ferry firm apologises as islanders count the cost of cancelled sailings

Shopkeepers on the Solvik islands say deliveries of fresh food have dried up since the Brackwater Line stopped its crossings, and the island school has moved lessons online.

In a statement released on Wednesday, the company said: {STATEMENT}

Harbour master Ingrid Faroe told this newspaper that two chartered boats were expected on Friday, though neither could carry lorries.
"""
REPORT_B = f"""Island ferry suspension enters third day

Passengers hoping to reach the Solvik islands were turned away at Tessary again on Wednesday as the Brackwater Line kept its fleet in port for a third day.

The operator issued an apology. {STATEMENT}

The regional council said it would ask the government for emergency funding to keep the island pharmacy supplied by helicopter until crossings resume.
"""


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory, sample_documents: list[Document]) -> Index:
    archive = Index(tmp_path_factory.mktemp("real") / "archive.db")
    special = [
        Document("repeating-source", "\n\n".join([REPEATED_PARAGRAPH] * 3)),
        Document("bullet-source", BULLET_SOURCE),
        Document("report-a", REPORT_A),
    ]
    archive.add([*sample_documents, *special], workers=1)
    return archive


def best_copy(result: CheckResult) -> Match:
    copies = [m for m in result.matches if m.verdict in COPY_VERDICTS]
    assert copies, f"no copy found: verdict {result.verdict}"
    return copies[0]


# 1. A story syndicated to many sites must not disappear.


def syndicated_archive(path: Path, sample_documents: list[Document], reprints: int) -> Index:
    rng = random.Random(7)
    copies = [
        Document(
            f"reprint-{n:03d}",
            boilerplate.header(rng) + "\n\n" + WIRE_STORY + "\n\n" + boilerplate.footer(rng),
            site=f"site{n}.example",
            published=f"2026-03-{2 + n % 20:02d}",
        )
        for n in range(reprints)
    ]
    original = Document("wire-original", WIRE_STORY, published="2026-03-01T08:00")
    archive = Index(path)
    # The original arrives in the middle of the crawl; it is named all the same.
    archive.add([*copies[:150], original, *copies[150:], *sample_documents], workers=1)
    return archive


def test_a_story_reprinted_by_400_sites_is_still_found(
    tmp_path: Path, sample_documents: list[Document]
) -> None:
    archive = syndicated_archive(tmp_path / "syndicated.db", sample_documents, reprints=400)
    verbatim = archive.check(WIRE_STORY)
    assert verbatim.verdict == "verbatim"
    match = best_copy(verbatim)
    assert match.source_id == "wire-original"
    assert match.also_in is not None
    assert match.also_in.count == 400
    assert match.also_in.ids[:3] == ("reprint-000", "reprint-001", "reprint-002")
    assert len(match.also_in.ids) == 20

    spun = make_variant("spun", [Document("wire-original", WIRE_STORY)], rate=0.3, seed=11)
    result = archive.check(spun.text)
    assert result.verdict == "spun"
    assert best_copy(result).source_id == "wire-original"


def test_the_earliest_published_reprint_is_named_ties_the_first_indexed(tmp_path: Path) -> None:
    archive = Index(tmp_path / "editions.db")
    archive.add(
        [
            Document("late", "Site A | Home\n\n" + WIRE_STORY, published="2026-03-05"),
            Document("undated", WIRE_STORY + "\n\nCopyright Site B"),
            Document("early", "Site C\n\n" + WIRE_STORY, published="2026-03-02"),
            Document("early-too", "Site D\n\n" + WIRE_STORY, published="2026-03-02"),
        ],
        workers=1,
    )
    match = best_copy(archive.check(WIRE_STORY))
    assert match.source_id == "early"
    assert match.also_in is not None and match.also_in.ids == ("late", "undated", "early-too")


# 2. A source that repeats itself.


def test_a_spun_copy_of_a_source_that_repeats_a_paragraph_is_spun(index: Index) -> None:
    result = index.check("\n\n".join(REPEATED_PARAGRAPH_SPUN))
    match = best_copy(result)
    assert match.source_id == "repeating-source"
    assert result.verdict == "spun"
    assert match.coverage > 0.95 and match.source_coverage > 0.95


def test_copying_a_repeated_paragraph_once_copies_the_whole_source(index: Index) -> None:
    result = index.check(REPEATED_PARAGRAPH)
    assert best_copy(result).source_id == "repeating-source"
    assert result.verdict == "verbatim"
    assert best_copy(result).source_coverage == 1.0


# 3. Short passages.


def lifted_passage(document: Document, sentences: int, min_words: int) -> str:
    spans = sentence_spans(document.text)
    for first in range(1, len(spans) - sentences):
        start, end = spans[first][0], spans[first + sentences - 1][1]
        passage = document.text[start:end]
        if len(passage.split()) >= min_words and "“" not in passage and '"' not in passage:
            return passage
    raise AssertionError(f"no {sentences}-sentence passage in {document.id}")


def test_two_lightly_spun_sentences_pasted_into_another_article_are_partial(
    index: Index, sample_documents: list[Document]
) -> None:
    found = 0
    for document in sample_documents[:12]:
        passage = lifted_passage(document, 2, 40)
        spun = make_variant("spun", [Document(document.id, passage)], rate=0.2, seed=3).text
        paragraphs = HOST_ARTICLE.split("\n\n")
        suspect = "\n\n".join([*paragraphs[:2], spun, *paragraphs[2:]])
        result = index.check(suspect)
        match = best_copy(result)
        assert result.verdict == "partial", document.id
        assert match.source_id == document.id or match.also_in is not None
        # The passage's offsets point at the pasted text in the copy.
        start, end = match.passages[0].copy_start, match.passages[0].copy_end
        assert start == suspect.index(spun.strip())
        assert spun.strip()[end - start :] in ("", ".", ".”", "”", '."')
        found += 1
    assert found == 12


def test_a_passage_pasted_into_a_text_of_longer_sentences_than_its_source_is_partial(
    tmp_path: Path,
) -> None:
    # Longer sentences than the source's do not make a text a copy that lost its
    # sentence ends. The aligner took it for one and cut its sentences where the
    # source's start, projected through words matching by chance: the pasted
    # sentences fell apart and the passage went unseen (a generated benchmark case).
    case = json.loads((DATA / "short_passage_in_long_host.json").read_text(encoding="utf-8"))
    with Index(tmp_path / "host.db") as archive:
        archive.add([Document("source", case["source"])], workers=1)
        result = archive.check(case["copy"])
    assert result.verdict == "partial"
    start, end = case["passage"]
    passage = best_copy(result).passages[0]
    assert passage.copy_start == start and passage.copy_end >= end - 2


def test_one_shared_sentence_is_not_a_copy(index: Index, sample_documents: list[Document]) -> None:
    document = sample_documents[3]
    sentence = lifted_passage(document, 1, 20)
    result = index.check(HOST_ARTICLE + "\n\n" + sentence)
    assert result.verdict not in COPY_VERDICTS


# 4. Text that is not prose.


def test_a_bullet_list_flattened_to_paragraphs_is_the_same_copy(index: Index) -> None:
    flattened = re.sub(r"^■ ", "", BULLET_SOURCE, flags=re.MULTILINE).replace("\n", "\n\n")
    result = index.check(flattened)
    assert result.verdict == "verbatim"
    assert best_copy(result).source_id == "bullet-source"


def test_six_bullets_lightly_spun_are_a_partial_copy(index: Index) -> None:
    items = BULLET_SOURCE.splitlines()[2:8]
    spun = make_variant("spun", [Document("x", "\n".join(items))], rate=0.2, seed=5).text
    result = index.check(spun.replace("■", "•"))
    assert result.verdict == "partial"
    assert best_copy(result).source_id == "bullet-source"


@pytest.mark.parametrize("how", ["no punctuation", "one line", "all caps"])
def test_a_copy_with_its_punctuation_or_line_breaks_stripped_is_the_same_copy(
    index: Index, sample_documents: list[Document], how: str
) -> None:
    for document in sample_documents[20:26]:
        text = document.text
        if how == "no punctuation":
            text = re.sub(r"[.,;:!?“”\"]", "", text)
        elif how == "one line":
            text = re.sub(r"\s+", " ", re.sub(r"[.!?]", "", text))
        else:
            text = text.upper()
        result = index.check(text)
        assert result.verdict == "verbatim", (document.id, how)
        assert best_copy(result).source_id == document.id or best_copy(result).also_in


# 5. Reordered copies.


@pytest.mark.parametrize("order", ["reversed", "shuffled"])
def test_a_copy_with_its_sentences_reordered_is_the_same_copy(
    index: Index, sample_documents: list[Document], order: str
) -> None:
    rng = random.Random(4)
    for document in sample_documents[30:40]:
        sentences = [document.text[a:b] for a, b in sentence_spans(document.text)]
        if order == "reversed":
            sentences.reverse()
        else:
            rng.shuffle(sentences)
        result = index.check("\n\n".join(sentences))
        match = best_copy(result)
        assert result.verdict == "verbatim", (document.id, order)
        assert any(e.type == "moved" for e in match.edits)


# 6. Stitched copies name every source.


def test_a_copy_stitched_from_eight_sources_names_all_eight(
    index: Index, sample_documents: list[Document]
) -> None:
    sources = sample_documents[::6][:8]
    passages = [
        make_variant("spun", [Document(d.id, lifted_passage(d, 3, 50))], rate=0.1, seed=n).text
        for n, d in enumerate(sources)
    ]
    result = index.check("\n\n".join(passages))
    named = {m.source_id for m in result.matches if m.verdict == "partial"}
    for match in result.matches:
        if match.also_in is not None:
            named |= set(match.also_in.ids)
    assert {d.id for d in sources} <= named


# 7. A shared statement is not a copy.


def test_two_reports_quoting_one_statement_are_independent(index: Index) -> None:
    result = index.check(REPORT_B)
    assert result.verdict == "independent"
    match = result.matches[0]
    assert match.source_id == "report-a"
    quotes = [e for e in match.edits if e.type == "quote"]
    assert sum(e.copy_words for e in quotes) >= 60
    assert all(REPORT_B[e.copy_start : e.copy_end] in STATEMENT for e in quotes)


def test_a_copy_that_reuses_the_text_around_the_quote_is_still_a_copy(index: Index) -> None:
    result = index.check(REPORT_A.replace("Shopkeepers on", "Traders on"))
    assert best_copy(result).source_id == "report-a"
    assert result.verdict in ("spun", "verbatim")

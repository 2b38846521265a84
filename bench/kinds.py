"""The benchmark's newer kinds of copies and hard negatives, with their ground truth.

``build_new_kinds`` returns the documents these kinds add to the archive and
their queries. Each query says which sources a perfect system names (best
first) and which verdict it gives:

- ``syndicated``: a few stories, each indexed once as the original and many
  times more as other sites' copies wrapped in that site's own header and
  footer lines, all dated after the original (and the original indexed in
  the middle of its copies). Queries: verbatim and spun copies of the
  original or of a site's copy; the source is the original.
- ``repeated``: a spun copy of a source whose paragraphs or sentences repeat
  (indexed that way), or a spun copy that repeats parts of a normal source.
- ``short-passage-N``: N consecutive sentences (at least 40 words outside
  quotation marks) of an original set among the paragraphs of an article
  that is not in the archive: ``partial``, and the passage's copy offsets.
- ``bullets``: list articles (indexed), copied whole or cut to at most 60%
  of their words, flattened or with other markers: ``spun``/``verbatim`` or
  ``partial`` (under 70% of the source).
- ``reflowed``: line breaks joined, wrapped or one sentence per line, every
  ``. , ! ?`` removed, or all capitals.
- ``reordered``: sentences reversed or shuffled, or paragraphs swapped.
- ``stitched-20``: one short passage (2-6 sentences, at least 40 words) from
  each of 20 originals; every one is a source.
- ``shared-statement``: a retelling that quotes the same 60-150-word
  statement as the indexed original: ``independent`` (a negative kind).
- ``lang-xx``: the articles in ``samples/languages/xx/`` (indexed), copied
  verbatim, wrapped in site furniture, with a sentence dropped, with a few
  words changed, and in part.

Rates at 0 swap nothing at all, so those copies are ``verbatim``.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from bench.corpus import make_event, make_shared_statement
from bench.entities import outlet
from unspin.model import Document
from unspin.synthetic import boilerplate, make_variant
from unspin.synthetic.builders import (
    EXCERPT_WORDS,
    STYLES,
    bulletize,
    list_items,
    list_lines,
    own_words,
    paragraph_sentences,
    paragraph_spans,
)

LANGUAGES = ("fr", "es", "de", "ru", "ar", "zh")
LANGUAGE_KINDS = tuple(f"lang-{code}" for code in LANGUAGES)
SHORT_PASSAGE_KINDS = ("short-passage-2", "short-passage-3", "short-passage-4")
NEW_KINDS = (
    "syndicated",
    "repeated",
    *SHORT_PASSAGE_KINDS,
    "bullets",
    "reflowed",
    "reordered",
    "stitched-20",
    "shared-statement",
    *LANGUAGE_KINDS,
)
"""In the order the results table lists them."""
NEGATIVE_KINDS = ("independent", "unrelated", "shared-statement")
"""Kinds whose queries copy nothing: any copy verdict is a false match."""
RATES = {
    "syndicated": (0.0, 0.1, 0.3, 0.5),
    "repeated": (0.1, 0.3, 0.5),
    "short-passage": (0.0, 0.2, 0.4),
    "bullets": (0.0, 0.1, 0.3),
    "reflowed": (0.0, 0.1, 0.3),
    "reordered": (0.0, 0.1, 0.3),
    "stitched-20": (0.1, 0.3),
}
PARTIAL_BELOW = 0.7
"""A copy of less than this share of its source's words is ``partial`` (the issue's rule)."""
SYNDICATED_STORIES = 5
LANGUAGE_DIR = Path(__file__).resolve().parent.parent / "samples" / "languages"

_WORD_RE = re.compile(r"[^\W_]+(?:['’.,-][^\W_]+)*")
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_UNIT_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]|[^\W\d_]+|\d+")
_LANG_END_RE = re.compile(r"[.!?…。！？؟]+[\"'”’»)\]」』]*")


@dataclass(slots=True)
class Query:
    """One benchmark query and what a perfect system would answer."""

    kind: str
    rate: float
    document: Document
    sources: list[str]
    """True sources, in order of appearance; empty for negatives."""
    expected: str
    """The verdict a perfect system gives (for the best source)."""
    passage: tuple[int, int] | None = None
    """Copy offsets of the copied passage, where the kind checks them."""


@dataclass(slots=True)
class KindSet:
    """Documents to add to the archive, and the queries that go with them."""

    archive: list[Document] = field(default_factory=list)
    queries: list[Query] = field(default_factory=list)


def words(text: str) -> int:
    """Words in a text (what coverage is counted in)."""
    return len(_WORD_RE.findall(text))


def build_new_kinds(
    originals: Sequence[Document],
    *,
    events: int,
    per_cell: int,
    negatives: int,
    seed: int,
    languages: Path = LANGUAGE_DIR,
) -> KindSet:
    """Every new kind: ``per_cell`` queries per (kind, rate) cell, ``negatives``
    shared-statement pairs, and the syndicated archive scaled with ``events``."""
    result = KindSet()
    for part in (
        syndicated(events, per_cell, seed),
        repeated(originals, per_cell, seed),
        short_passages(originals, per_cell, seed),
        bullets(per_cell, seed),
        restructured("reflowed", originals, per_cell, seed),
        restructured("reordered", originals, per_cell, seed),
        stitched_20(originals, per_cell, seed),
        shared_statements(negatives, seed),
        language_kinds(languages, seed),
    ):
        result.archive += part.archive
        result.queries += part.queries
    return result


def _copy_verdict(rate: float) -> str:
    return "verbatim" if rate == 0.0 else "spun"


# -- syndicated -----------------------------------------------------------------

_SECTIONS = ("News", "World", "Local", "Business", "Politics", "Sport", "Culture", "Opinion")


@dataclass(frozen=True, slots=True)
class Site:
    """A site that reprints wire stories inside its own furniture."""

    name: str
    domain: str
    header: tuple[str, ...]
    footer: tuple[str, ...]


def make_site(index: int, seed: int) -> Site:
    """Site ``index``: its name and the short header and footer lines it puts on every page."""
    rng = random.Random(f"site:{seed}:{index}")
    house = outlet(rng)
    name, domain = house.name, house.domain.replace(".example", f"-{index}.example")
    header = [
        rng.choice(
            (
                f"{name} | Home | " + " | ".join(rng.sample(_SECTIONS, 3)),
                f"{name} — {rng.choice(('Your local news', 'News that matters', 'Since 1998'))}",
                f"{name.upper()}",
            )
        )
    ]
    if rng.random() < 0.5:
        header.append(rng.choice(("Subscribe | Sign in", "Advertisement", "Menu | Search")))
    footer = [f"© 2026 {name}. All rights reserved."]
    if rng.random() < 0.5:
        footer.insert(
            0,
            rng.choice(
                (
                    "Share this story",
                    "Distributed by a wire service.",
                    f"More from {name}",
                    "Comments are closed.",
                )
            ),
        )
    return Site(name, domain, tuple(header), tuple(footer))


def syndicate(original: Document, site: Site, published: dt.date, copy_id: str) -> Document:
    """The site's copy of a story: its header lines, the story word for word, its footer."""
    text = "\n".join(site.header) + "\n\n" + original.text + "\n\n" + "\n".join(site.footer)
    slug = re.sub(r"[^a-z0-9]+", "-", (original.title or copy_id).lower()).strip("-")[:60]
    return Document(
        copy_id,
        text,
        url=f"https://{site.domain}/{published:%Y/%m/%d}/{slug}",
        title=original.title,
        site=site.name,
        published=published.isoformat(),
    )


def syndicated(events: int, per_cell: int, seed: int) -> KindSet:
    """One story with ``events // 20`` copies (1,000 at full size), four with a tenth of that."""
    rng = random.Random(f"{seed}:syndicated")
    counts = [max(10, events // 20)] + [max(5, events // 200)] * (SYNDICATED_STORIES - 1)
    sites = [make_site(i, seed) for i in range(max(counts))]
    result = KindSet()
    stories: list[tuple[Document, list[Document]]] = []
    for number, count in enumerate(counts):
        original = make_event(number, seed, 0, namespace="sy").original
        day = dt.date.fromisoformat(original.published or "2020-01-01")
        copies = [
            syndicate(
                original,
                site,
                day + dt.timedelta(days=rng.randint(1, 30)),
                f"{original.id.removesuffix('-o')}-s{k:04d}",
            )
            for k, site in enumerate(rng.sample(sites, count))
        ]
        members = list(copies)
        # Indexed among its copies, not first: the date, not the order, makes it the source.
        members.insert(rng.randint(1, len(members)), original)
        result.archive += members
        stories.append((original, copies))
    for rate in RATES["syndicated"]:
        for n in range(per_cell):
            original, copies = stories[n % len(stories)]
            base = original if n % 2 == 0 else rng.choice(copies)
            kind = "verbatim" if rate == 0.0 else "spun"
            variant = make_variant(kind, [base], rate=rate, seed=rng.getrandbits(32))
            label = "original" if base is original else "copy"
            document = Document(f"q-syndicated-{rate}-{n}-{label}", variant.text)
            result.queries.append(
                Query("syndicated", rate, document, [original.id], _copy_verdict(rate))
            )
    return result


# -- repeated -------------------------------------------------------------------


def repeated(originals: Sequence[Document], per_cell: int, seed: int) -> KindSet:
    """Half the queries copy a source that repeats itself; half repeat parts of a normal one."""
    rng = random.Random(f"{seed}:repeated")
    result = KindSet()
    number = 0
    for rate in RATES["repeated"]:
        for n in range(per_cell):
            style = STYLES["repeated"][n // 2 % len(STYLES["repeated"])]
            if n % 2 == 0:
                base = make_event(number, seed, 0, namespace="rp").original
                number += 1
                doubled = make_variant(
                    "repeated", [base], rate=0.0, seed=rng.getrandbits(32), style=style
                )
                source = replace(base, text=doubled.text)
                result.archive.append(source)
                variant = make_variant("spun", [source], rate=rate, seed=rng.getrandbits(32))
            else:
                source = rng.choice(originals)
                variant = make_variant(
                    "repeated", [source], rate=rate, seed=rng.getrandbits(32), style=style
                )
            where = "source" if n % 2 == 0 else "copy"
            document = Document(f"q-repeated-{rate}-{n}-{where}-{style}", variant.text)
            result.queries.append(Query("repeated", rate, document, [source.id], "spun"))
    return result


# -- short passages -------------------------------------------------------------


def _sentence_count(text: str) -> int:
    return sum(len(group) for group in paragraph_sentences(text))


def short_passages(originals: Sequence[Document], per_cell: int, seed: int) -> KindSet:
    """2-, 3- and 4-sentence excerpts (40+ words, no quotation) inside an unindexed article."""
    rng = random.Random(f"{seed}:short-passage")
    result = KindSet()
    hosts = 0
    for kind in SHORT_PASSAGE_KINDS:
        sentences = int(kind.rsplit("-", 1)[1])
        for rate in RATES["short-passage"]:
            for n in range(per_cell):
                while True:
                    source = rng.choice(originals)
                    host = make_event(hosts, seed, 0, namespace="sp").original
                    hosts += 1
                    variant = make_variant(
                        "excerpt",
                        [source, host],
                        rate=rate,
                        seed=rng.getrandbits(32),
                        size=sentences,
                    )
                    ((_, start, end),) = variant.source_spans
                    ((copy_start, copy_end),) = variant.copy_spans
                    excerpt = source.text[start:end]
                    if (
                        _sentence_count(excerpt) == sentences
                        and own_words(excerpt) >= EXCERPT_WORDS
                        and own_words(variant.text[copy_start:copy_end]) >= EXCERPT_WORDS
                        and not re.search('["“”]', excerpt)
                    ):
                        break
                document = Document(f"q-{kind}-{rate}-{n}", variant.text)
                result.queries.append(
                    Query(kind, rate, document, [source.id], "partial", (copy_start, copy_end))
                )
    return result


# -- bullets --------------------------------------------------------------------


def _kept_share(source: Document, spans: list[tuple[str, int, int]]) -> float:
    total = sum(words(source.text[start:end]) for start, end, _ in list_lines(source.text))
    kept = sum(words(source.text[start:end]) for _, start, end in spans)
    return kept / max(total, 1)


def bullets(per_cell: int, seed: int) -> KindSet:
    """List articles, indexed; copies keep every line or a subset of under 60% of the words."""
    rng = random.Random(f"{seed}:bullets")
    result = KindSet()
    sources: list[Document] = []
    for number in range(per_cell):
        original = make_event(number, seed, 0, namespace="bl").original
        text = bulletize(original.text, rng, title=original.title)
        sources.append(replace(original, text=text))
    result.archive += sources
    for rate in RATES["bullets"]:
        for n, source in enumerate(sources):
            style = STYLES["bullets"][n // 2 % len(STYLES["bullets"])]
            items = len(list_items(source.text))
            size = None if n % 2 == 0 else max(2, round(items * rng.uniform(0.3, 0.5)))
            while True:
                variant = make_variant(
                    "bullets", [source], rate=rate, seed=rng.getrandbits(32), style=style, size=size
                )
                share = _kept_share(source, variant.source_spans)
                if size is None or share <= 0.6 or size <= 2:
                    break
                size -= 1
            expected = "partial" if share < PARTIAL_BELOW else _copy_verdict(rate)
            cut = "whole" if size is None else "subset"
            document = Document(f"q-bullets-{rate}-{n}-{style}-{cut}", variant.text)
            result.queries.append(Query("bullets", rate, document, [source.id], expected))
    return result


# -- reflowed, reordered --------------------------------------------------------


def restructured(kind: str, originals: Sequence[Document], per_cell: int, seed: int) -> KindSet:
    """``reflowed`` or ``reordered`` copies of originals, every style in turn."""
    rng = random.Random(f"{seed}:{kind}")
    styles = STYLES[kind]
    result = KindSet()
    for rate in RATES[kind]:
        for n in range(per_cell):
            source = rng.choice(originals)
            style = styles[n % len(styles)]
            variant = make_variant(kind, [source], rate=rate, seed=rng.getrandbits(32), style=style)
            document = Document(f"q-{kind}-{rate}-{n}-{style}", variant.text)
            result.queries.append(Query(kind, rate, document, [source.id], _copy_verdict(rate)))
    return result


# -- stitched from 20 sources ---------------------------------------------------


def stitched_20(originals: Sequence[Document], per_cell: int, seed: int) -> KindSet:
    """A round-up of 20 short passages (2-6 sentences, 40+ words each in source and
    copy) from 20 originals."""
    rng = random.Random(f"{seed}:stitched-20")
    result = KindSet()
    for rate in RATES["stitched-20"]:
        for n in range(per_cell):
            while True:
                group = rng.sample(list(originals), 20)
                variant = make_variant(
                    "stitched", group, rate=rate, seed=rng.getrandbits(32), size=20
                )
                by_id = {d.id: d for d in group}
                passages = [by_id[i].text[s:e] for i, s, e in variant.source_spans]
                copies = [variant.text[s:e] for s, e in variant.copy_spans]
                # 40 words on both sides: the spinner's deletions must not shrink a
                # passage below the rule it is meant to test.
                if all(
                    _sentence_count(p) >= 2 and min(own_words(p), own_words(c)) >= EXCERPT_WORDS
                    for p, c in zip(passages, copies, strict=True)
                ):
                    break
            document = Document(f"q-stitched-20-{rate}-{n}", variant.text)
            result.queries.append(
                Query("stitched-20", rate, document, list(variant.source_ids), "partial")
            )
    return result


# -- shared statements ----------------------------------------------------------


def shared_statements(count: int, seed: int) -> KindSet:
    """``count`` originals (indexed) and retellings (queries) that quote one statement."""
    result = KindSet()
    for index in range(count):
        pair = make_shared_statement(index, seed)
        result.archive.append(pair.original)
        result.queries.append(Query("shared-statement", 0.0, pair.retelling, [], "independent"))
    return result


# -- languages ------------------------------------------------------------------


def units(text: str) -> int:
    """Words, with each CJK character counted as one (Chinese has no spaces)."""
    return len(_UNIT_RE.findall(text))


def language_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans for any of the sample languages: ends at ``. ! ? … 。 ！ ？ ؟``
    (closing quotes included) before white space, or after CJK full stops
    anywhere; a line break ends one too."""
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for match in _LANG_END_RE.finditer(line.group()):
            end = line.start() + match.end()
            cjk = match.group()[0] in "。！？"
            if not cjk and end < line.end() and not text[end].isspace():
                continue
            if text[start:end].strip():
                spans.append((start, end))
            start = end
        if text[start : line.end()].strip():
            spans.append((start, line.end()))
    trimmed = []
    for start, end in spans:
        chunk = text[start:end]
        lead = len(chunk) - len(chunk.lstrip())
        trimmed.append((start + lead, start + len(chunk.rstrip())))
    return trimmed


def drop_sentence(text: str, rng: random.Random) -> tuple[str, tuple[int, int]]:
    """The text without one of its sentences (never the first), and that sentence's span."""
    spans = language_sentences(text)
    total = units(text)
    choices = [s for s in spans[1:] if units(text[s[0] : s[1]]) <= 0.2 * total] or spans[1:]
    start, end = rng.choice(choices)
    rest = text[end:]
    gap = len(rest) - len(rest.lstrip(" \t\u3000"))
    if text[start - 1 : start] == "\n" and rest[gap : gap + 1] in ("\n", ""):
        gap = len(rest) - len(rest.lstrip())  # The sentence was a whole paragraph.
    return text[:start] + text[end + gap :], (start, end)


def change_words(text: str, rng: random.Random) -> tuple[str, int]:
    """A few words swapped for other words of the text: 6% of the words of four
    letters or more, or in Chinese 3% of the characters (a word is one or two)."""
    if _CJK_RE.search(text):
        tokens = list(_CJK_RE.finditer(text))
        share = 0.03
    else:
        tokens = list(re.finditer(r"[^\W\d_]{4,}", text))
        share = 0.06
    vocabulary = sorted({m.group().lower() for m in tokens})
    count = max(2, round(share * len(tokens)))
    chosen = sorted(rng.sample(tokens, min(count, len(tokens))), key=lambda m: m.start())
    parts: list[str] = []
    position = 0
    for match in chosen:
        word = match.group()
        other = rng.choice([w for w in vocabulary if w != word.lower()] or [word])
        if word[:1].isupper():
            other = other[:1].upper() + other[1:]
        parts += [text[position : match.start()], other]
        position = match.end()
    parts.append(text[position:])
    return "".join(parts), len(chosen)


def half_copy(text: str, rng: random.Random) -> tuple[int, int] | None:
    """A run of paragraphs (or else sentences) with 30-60% of the words, 3+ sentences."""
    total = units(text)
    for blocks in (paragraph_spans(text), language_sentences(text)):
        runs = [
            (blocks[i][0], blocks[j][1])
            for i in range(len(blocks))
            for j in range(i, len(blocks))
            if 0.3 * total <= units(text[blocks[i][0] : blocks[j][1]]) <= 0.6 * total
            and len(language_sentences(text[blocks[i][0] : blocks[j][1]])) >= 3
        ]
        if runs:
            return rng.choice(runs)
    return None


def language_kinds(directory: Path, seed: int) -> KindSet:
    """Each language's sample articles, indexed, and five copies of each."""
    result = KindSet()
    for code in LANGUAGES:
        files = sorted((directory / code).glob("*.txt"))
        if not files:
            print(
                f"bench: no samples in {directory / code}; kind lang-{code} left out",
                file=sys.stderr,
            )
            continue
        kind = f"lang-{code}"
        rng = random.Random(f"{seed}:{kind}")
        for path in files:
            source = Document(f"lang-{code}-{path.stem}", path.read_text(encoding="utf-8").strip())
            result.archive.append(source)

            def add(
                label: str, text: str, expected: str, source: Document = source, kind: str = kind
            ) -> None:
                document = Document(f"q-{kind}-{label}-{source.id}", text)
                result.queries.append(Query(kind, 0.0, document, [source.id], expected))

            add(
                "verbatim",
                make_variant("verbatim", [source], seed=rng.getrandbits(32)).text,
                "verbatim",
            )
            wrapped = (
                boilerplate.header(rng) + "\n\n" + source.text + "\n\n" + boilerplate.footer(rng)
            )
            add("wrapped", wrapped, "verbatim")
            add("dropped", drop_sentence(source.text, rng)[0], "verbatim")
            add("changed", change_words(source.text, rng)[0], "spun")
            span = half_copy(source.text, rng)
            if span is not None:
                add("partial", source.text[span[0] : span[1]], "partial")
    return result

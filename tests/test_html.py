"""The static HTML report: evidence marked up, sources named, hostile text kept inert."""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from unspin import Document, Index
from unspin.html import CONTENT_SECURITY_POLICY, render_report, safe_href
from unspin.synthetic import make_variant

from .conftest import SAMPLES
from .test_cli import unspin

XSS_TEXT = '<script>alert(1)</script> "><img src=x onerror=alert(1)> <svg onload=alert(1)>'


class _Elements(HTMLParser):
    """Every start tag with its attributes, as a browser's tokenizer would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    return parser.tags


def assert_inert(html: str) -> None:
    """No script, no event handler, no external resource, no non-http link."""
    for tag, attrs in elements(html):
        assert tag not in ("script", "img", "svg", "iframe", "object", "embed", "link", "base")
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name != "src", tag
            if name == "href":
                assert value is not None and re.match(r"https?://", value), value
    assert f'content="{CONTENT_SECURITY_POLICY}"' in html
    assert "script-src" not in CONTENT_SECURITY_POLICY and "default-src 'none'" in html


@pytest.fixture(scope="module")
def spun(sample_documents: list[Document], sample_index: Index) -> tuple[Document, str]:
    source = next(d for d in sample_documents if d.id == "coastal-wire/actor-russian-passport.txt")
    variant = make_variant("spun", [source], rate=0.3, seed=3)
    return source, render_report([sample_index.check(Document("spun-copy", variant.text))])


def test_report_marks_every_swap_with_the_other_sides_words(
    spun: tuple[Document, str], sample_index: Index
) -> None:
    source, html = spun
    assert_inert(html)
    assert source.id in html
    marks = [attrs for tag, attrs in elements(html) if tag == "mark" and "data-other" in attrs]
    synonyms_in_copy = [m for m in marks if (m.get("data-other") or "").startswith("source: ")]
    synonyms_in_source = [m for m in marks if (m.get("data-other") or "").startswith("copy: ")]
    assert len(synonyms_in_copy) >= 10 and len(synonyms_in_source) >= 10
    assert all(m.get("tabindex") == "0" and m.get("aria-label") for m in marks)
    for css_class in ("e-synonym", "e-insertion", "e-deletion", "e-moved", "e-inflection"):
        assert f"mark.{css_class}" in html  # the legend and styles cover every type
    assert "@media print" in html


def test_each_source_of_a_stitched_copy_gets_its_own_colour(
    sample_documents: list[Document], sample_index: Index
) -> None:
    first, second = sample_documents[0], sample_documents[7]
    variant = make_variant("stitched", [first, second], rate=0.2, seed=1)
    result = sample_index.check(variant.text)
    html = render_report([result])
    rows = re.findall(r'<tr style="--source:(#[0-9a-f]{6})">.*?class="from"[^>]*>([^<]*)<', html)
    colour_of = {name: colour for colour, name in rows}
    assert first.id in colour_of and second.id in colour_of
    assert colour_of[first.id] != colour_of[second.id]


def cell_words(cell: str) -> list[str]:
    """The words a table cell shows, tags, the source's label and deletion marks taken out."""
    cell = re.sub(r'<span class="from"[^>]*>[^<]*</span>', "", cell)
    text = unescape(re.sub(r"<[^>]+>", "", cell.replace("<br>", " ")))
    return sorted(text.replace("‸", "").split())  # ‸ marks where dropped words were


def test_each_row_sets_copy_sentences_beside_the_source_sentences_they_came_from(
    sample_documents: list[Document], sample_index: Index
) -> None:
    source = next(d for d in sample_documents if d.id == "coastal-wire/actor-russian-passport.txt")
    copy = make_variant("reordered", [source], rate=0.0, seed=4, style="shuffled").text
    html = render_report([sample_index.check(Document("shuffled", copy))])
    rows = re.findall(r'<td class="copy">(.*?)</td><td class="source">(.*?)</td></tr>', html)
    assert len(rows) >= 5
    same = 0
    for copy_cell, source_cell in rows:  # a verbatim copy: the same words on both sides...
        copied, taken = cell_words(copy_cell), cell_words(source_cell)
        assert not Counter(copied) - Counter(taken)
        same += copied == taken
    # ... but for where the generator cut a sentence its own way ("Jan. | 6").
    assert same >= 0.8 * len(rows)
    cells = re.findall(r'<td class="copy">(.*?)</td>', html)
    assert sorted(w for cell in cells for w in cell_words(cell)) == sorted(copy.split())


@pytest.mark.slow
def test_a_long_copy_renders_in_time_linear_in_its_length(
    tmp_path: Path, sample_documents: list[Document]
) -> None:
    # Rows come from the match's sentence pairs; guessing them from the edits took
    # time quadratic in the length (8,000 words: about 3 s; 20,000 words: 36 s).
    source = Document("long", "\n\n".join(d.text for d in sample_documents[:24]))
    assert len(source.text.split()) >= 8000
    with Index(tmp_path / "long.db") as index:
        index.add([source], workers=1)
        result = index.check(make_variant("spun", [source], rate=0.3, seed=1).text)
    start = time.perf_counter()
    html = render_report([result])
    assert time.perf_counter() - start < 1.0
    assert html.count('<tr style="--source:') >= 100


def test_hostile_fields_are_escaped_and_links_only_http(
    tmp_path: Path, sample_documents: list[Document]
) -> None:
    article = sample_documents[0].text
    source = Document(
        "wire/<b>1</b>",
        XSS_TEXT + article + XSS_TEXT,
        url="javascript:alert(1)",
        title='"><img src=x onerror=alert(1)>',
        site="<svg onload=alert(1)>",
        published="<script>alert(2)</script>",
    )
    with Index(tmp_path / "hostile.db") as index:
        index.add([source], workers=1)
        copy = Document(
            XSS_TEXT,
            make_variant("spun", [source], rate=0.2).text,
            url='https://example.org/"><script>alert(3)</script>',
            title=XSS_TEXT,
        )
        result = index.check(copy)
    assert result.matches
    html = render_report([result], title=XSS_TEXT)
    assert_inert(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "javascript:" not in re.findall(r'href="([^"]*)"', html)


def test_safe_href() -> None:
    assert safe_href("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for bad in (
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        " javascript:x",
        "data:text/html,x",
        "//example.org",
        "http://",
        "https://exa mple.org",
        "vbscript:x",
        None,
        "",
    ):
        assert safe_href(bad) is None, bad


@dataclass
class Flag:
    start: int
    end: int
    text: str
    score: float
    suggestions: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)


@dataclass
class SpunPassage:
    start: int
    end: int
    spin_score: float


@dataclass
class Detection:
    spin_score: float
    verdict: str
    flags: list[Flag]
    passages: list[SpunPassage] = field(default_factory=list)


def test_sourceless_detection_shows_flags_and_suggestions() -> None:
    text = "The pair then went on to supper. <script>alert(1)</script>"
    why = ["LM: '<i>the couple</i>' 12x likelier than 'the pair'"]
    detection = Detection(
        0.6,
        "spun",
        [Flag(9, 13, "pair", 0.9, ["couple", "<b>duo</b>"], why)],
        [SpunPassage(0, 32, 0.9)],
    )
    html = render_report([], detections=[(Document("forum-post", text), detection)])
    assert_inert(html)
    marks = [a for t, a in elements(html) if t == "mark" and "data-other" in a]
    assert len(marks) == 1
    assert marks[0]["data-other"] == f"likely original: couple, <b>duo</b>; why: {why[0]}"
    assert "characters 0-32, spin score 90%" in html and "The pair then went" in html
    assert "SPUN" in html and "60%" in html


def test_check_html_option_writes_one_report(tmp_path: Path, sample_index: Index) -> None:
    out = tmp_path / "report.html"
    db = sample_index.path
    handmade = SAMPLES / "suspects/handmade"
    passport, cake = handmade / "actor-passport-spun.txt", handmade / "lemon-polenta-cake.txt"
    done = unspin("check", "--db", db, "--html", out, "--json", passport, cake)
    assert done.returncode == 0, done.stderr
    html = out.read_text(encoding="utf-8")
    assert_inert(html)
    assert html.count('<section class="suspect">') == 2
    assert "coastal-wire/actor-russian-passport.txt" in html
    bad = unspin("check", "--db", db, "--html", tmp_path / "missing" / "r.html", cake)
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
    assert "r.html" in bad.stderr


def test_a_real_detection_renders_when_unspin_detect_is_ready() -> None:
    detect_module = pytest.importorskip("unspin.detect")
    from unspin.errors import UnspinError

    text = (SAMPLES / "suspects/handmade/actor-passport-spun.txt").read_text(encoding="utf-8")
    try:
        found = detect_module.detect(text)
    except UnspinError as error:  # e.g. the default model is not built in this checkout
        pytest.skip(str(error))
    html = render_report([], detections=[(Document("copy", text), found)])
    assert_inert(html)
    marks = [a for t, a in elements(html) if t == "mark" and "data-other" in a]
    assert len(marks) == len(found.flags)

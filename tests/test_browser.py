"""The web app and the HTML report in a real headless Chromium (Debian's, through Playwright).

A person pastes a spun copy and gets the report in one click; the sites page
draws its chart; the static report works offline, prints, has readable
highlight colours and keyboard-reachable edits; hostile text runs no script
anywhere.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from unspin import Document, Index
from unspin.html import render_report
from unspin.synthetic import make_variant
from unspin.web import WebSettings

from .conftest import ROOT
from .test_web_api import AUTH, TOKEN, make_db, serve_in_thread

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOT_FOR_README = ROOT / "docs" / "report-screenshot.png"
"""Rewritten only when ``UNSPIN_UPDATE_SCREENSHOT=1``: a test run leaves the checkout clean."""
PASSPORT = "coastal-wire/actor-russian-passport.txt"
PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "<svg onload=alert(1)>",
    "'><svg/onload=alert(1)>",
]
HOSTILE = " ".join(PAYLOADS)

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium")

# Counts what a successful injection would leave behind: script-capable elements,
# event-handler attributes and javascript: links.
INJECTED = """() => {
  const handlers = [...document.querySelectorAll('*')].filter(
    e => [...e.attributes].some(a => a.name.toLowerCase().startsWith('on')));
  return {
    elements: document.querySelectorAll('script, img, iframe, object, embed').length,
    handlers: handlers.length,
    js_links: [...document.querySelectorAll('a[href]')].filter(
      a => a.href.trim().toLowerCase().startsWith('javascript:')).length,
  };
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.dialogs = []  # any alert() that an injection manages to run
    opened.on("dialog", lambda dialog: (opened.dialogs.append(dialog.message), dialog.dismiss()))
    yield opened
    context.close()


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, sample_documents: list[Document]
) -> Iterator[str]:
    db = make_db(tmp_path_factory.mktemp("browser") / "archive.db", sample_documents)
    with serve_in_thread(WebSettings(db=db, token=TOKEN)) as base:
        yield base


@pytest.fixture(scope="module")
def passport(sample_documents: list[Document]) -> Document:
    return next(d for d in sample_documents if d.id == PASSPORT)


def artifact(name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name


def assert_nothing_ran(page: Any) -> None:
    assert page.dialogs == []
    assert page.evaluate(INJECTED) == {"elements": 0, "handlers": 0, "js_links": 0}


def test_paste_and_one_click_give_the_report(page: Any, server: str, passport: Document) -> None:
    variant = make_variant("spun", [passport], rate=0.3, seed=5)
    page.goto(server + "/")
    textarea = page.get_by_label("Suspect text")
    assert textarea.input_value() == ""
    textarea.fill(variant.text)  # the paste
    page.get_by_role("button", name="Check", exact=True).click()  # the click
    page.wait_for_url(re.compile(r"/checks/\d+$"))

    assert page.locator(".verdict").first.inner_text() == "SPUN"
    assert PASSPORT in page.locator("table.sources").inner_text()
    copy_marks = page.locator(
        "td.copy mark.e-synonym, td.copy mark.e-inflection, td.copy mark.e-other"
    )
    marked = set(copy_marks.all_inner_texts())
    swapped = {swap.text for swap in variant.swaps}
    assert len(marked & swapped) >= 0.6 * len(swapped), (marked, swapped)
    assert page.locator("td.source .from").first.inner_text() == PASSPORT
    assert_nothing_ran(page)

    page.locator("td.copy mark.e-synonym").nth(2).focus()  # show one tooltip in the picture
    page.screenshot(path=artifact("report.png"), full_page=True)
    top = page.locator("section.suspect").bounding_box()["y"]  # leave out the dated header
    picture = SCREENSHOT_FOR_README if os.environ.get("UNSPIN_UPDATE_SCREENSHOT") == "1" else None
    page.screenshot(
        path=picture or artifact("report-top.png"),
        clip={"x": 0, "y": top - 16, "width": 1280, "height": 800},
    )

    report_path = page.url.removeprefix(server)
    page.locator("table.sources a", has_text=PASSPORT).click()  # the source's own page
    page.wait_for_url(re.compile(r"/documents/"))
    assert page.locator(f'table.list a[href="{report_path}"]').count() == 1


def test_sites_page_draws_the_spin_rate_chart(page: Any, server: str, passport: Document) -> None:
    for seed, rate in enumerate((0.1, 0.3, 0.5)):
        copy = make_variant("spun", [passport], rate=rate, seed=seed).text
        suspect = {"text": copy, "url": f"https://farm{seed % 2}.example/{seed}"}
        assert httpx.post(server + "/api/check", json=suspect, timeout=120).status_code == 200
    page.goto(server + "/sites")
    chart = page.locator("#spin-chart svg")
    assert chart.is_visible()
    bars = chart.locator("rect.bar")
    assert bars.count() == 10
    assert sum(float(b.get_attribute("height") or 0) > 0 for b in bars.all()) >= 2
    assert page.locator("#timeline-chart svg rect.bar").count() >= 1
    table = page.locator("table.list").inner_text()
    assert "farm0.example" in table and PASSPORT in table
    page.screenshot(path=artifact("sites.png"), full_page=True)


@pytest.fixture(scope="module")
def report_file(
    tmp_path_factory: pytest.TempPathFactory, sample_index: Index, sample_documents: list[Document]
) -> Path:
    passport = next(d for d in sample_documents if d.id == PASSPORT)
    spun = make_variant("spun", [passport], rate=0.3, seed=2)
    stitched = make_variant("stitched", [sample_documents[0], sample_documents[7]], rate=0.2)
    results = [
        sample_index.check(Document("spun copy", spun.text, url="https://farm.example/a")),
        sample_index.check(Document("stitched copy", stitched.text)),
    ]
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render_report(results), encoding="utf-8")
    return path


def test_report_renders_offline_and_prints(page: Any, report_file: Path) -> None:
    attempted: list[str] = []

    def block(route: Any) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            attempted.append(route.request.url)
            route.abort()

    page.route("**/*", block)
    page.goto(report_file.as_uri())
    page.wait_for_load_state("networkidle")
    assert attempted == []
    assert page.locator("section.suspect").count() == 2
    assert page.locator("table.pair tr").count() > 5
    hint = page.locator(".hint").first
    assert hint.is_visible()
    mark = page.locator("td.copy mark.e-synonym").first
    assert _after_content(page, mark) == "none"  # no tooltip until hover or focus

    page.emulate_media(media="print")
    assert not hint.is_visible()
    other = mark.get_attribute("data-other")
    assert _after_content(page, mark) == f'" [{other}]"'  # the other side's words inline
    breaks = page.locator("section.suspect").nth(1).evaluate("e => getComputedStyle(e).breakBefore")
    assert breaks == "page"
    page.pdf(path=artifact("report-print.pdf"))
    assert attempted == []


def _after_content(page: Any, element: Any) -> str:
    return str(element.evaluate("e => getComputedStyle(e, '::after').content"))


def _luminance(css_colour: str) -> float:
    red, green, blue = (int(v) / 255 for v in re.findall(r"\d+", css_colour)[:3])

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast(foreground: str, background: str) -> float:
    """The WCAG 2 contrast ratio of two computed CSS rgb() colours."""
    light, dark = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_highlight_colours_meet_wcag_contrast(page: Any, report_file: Path) -> None:
    page.goto(report_file.as_uri())
    checked = set()
    selector = "mark[class^='e-'], .verdict, .from"
    for element in page.locator(selector).all():
        colour, background, css_class = element.evaluate(
            "e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor, e.className]"
        )
        ratio = contrast(colour, background)
        assert ratio >= 4.5, (css_class, colour, background, ratio)
        checked.add(css_class)
    expected = {"e-synonym", "e-insertion", "e-deletion", "e-other", "e-moved", "e-inflection"}
    assert expected <= checked


def test_tab_reaches_edits_and_focus_shows_the_source_words(page: Any, report_file: Path) -> None:
    page.goto(report_file.as_uri())
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "MARK":
            break
    focused = page.locator("mark:focus")
    assert focused.count() == 1
    other = focused.get_attribute("data-other")
    assert other and focused.get_attribute("aria-label")
    assert _after_content(page, focused) == f'"{other}"'
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "MARK"
    page.screenshot(path=artifact("report-focus.png"))


def test_hostile_text_runs_no_script_anywhere(
    page: Any, server: str, passport: Document, tmp_path: Path
) -> None:
    hostile_id = f"hostile/{PAYLOADS[0]}"
    hostile = {
        "id": hostile_id,
        "text": HOSTILE + "\n\n" + passport.text + "\n\n" + HOSTILE,
        "url": "javascript:alert(1)",
        "title": PAYLOADS[1],
        "site": PAYLOADS[3],
        "published": PAYLOADS[0],
    }
    added = httpx.post(server + "/api/documents", json={"documents": [hostile]}, headers=AUTH)
    assert added.status_code == 201, added.text
    copy = make_variant("spun", [Document(hostile_id, hostile["text"])], rate=0.2, seed=9).text

    page.goto(server + "/")
    page.get_by_label("Suspect text").fill(copy + "\n" + HOSTILE)
    page.locator("details summary").click()
    page.get_by_label("Title").fill(PAYLOADS[1])
    page.get_by_label("URL").fill("javascript:alert(1)")
    page.get_by_label("Site").fill(PAYLOADS[3])
    page.get_by_label("Published (YYYY-MM-DD)").fill(PAYLOADS[0])
    page.get_by_role("button", name="Check", exact=True).click()
    page.wait_for_url(re.compile(r"/checks/\d+$"))
    assert "<script>alert(1)</script>" in page.locator("main").inner_text()  # shown as text
    assert_nothing_ran(page)

    upload = tmp_path / "hostile.html"
    upload.write_text(
        f"<html><head><title>{PAYLOADS[1]}</title><script>alert(2)</script></head><body>"
        f"<article><p>{copy}</p><p onclick=alert(3)>{HOSTILE}</p></article></body></html>"
    )
    page.goto(server + "/")
    page.get_by_label("or upload a file").set_input_files(str(upload))
    page.get_by_role("button", name="Check", exact=True).click()
    page.wait_for_url(re.compile(r"/checks/\d+$"))
    assert_nothing_ran(page)

    for path in (
        f"/documents/{quote(hostile_id)}",
        f"/search?q={quote(PAYLOADS[1])}",
        f"/search?q={quote('hostile')}",
        "/sites",
        "/api/docs",
        f"/no-such-page/{quote(PAYLOADS[3])}",
        f"/documents/{quote(PAYLOADS[1])}",
    ):
        page.goto(server + path)
        assert_nothing_ran(page)

    with Index(tmp_path / "report.db") as index:
        index.add([Document(**hostile)], workers=1)
        result = index.check(
            Document(
                PAYLOADS[1],
                copy + HOSTILE,
                url="javascript:alert(1)",
                title=PAYLOADS[0],
                site=PAYLOADS[3],
            )
        )
    report = tmp_path / "hostile-report.html"
    report.write_text(render_report([result], title=HOSTILE), encoding="utf-8")
    page.goto(report.as_uri())
    assert result.matches and page.locator("table.pair").count() == 1
    assert_nothing_ran(page)

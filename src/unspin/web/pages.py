"""Server-rendered pages: paste a suspect, read its report, search, browse sources and sites.

No page runs script (the Content-Security-Policy forbids it); every value
shown is escaped, and links are made only from http(s) URLs
(:func:`unspin.html.link`). Reports reuse :mod:`unspin.html`, so a page shows
exactly what ``unspin check --html`` writes.

As in :mod:`unspin.web.json_api`, handlers that do not await are plain
functions, run in the threadpool: they read SQLite and render whole reports.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from html import escape
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from unspin.errors import UnspinError
from unspin.html import detection_html, link, page, result_html
from unspin.io import read_document_stdin
from unspin.model import Document
from unspin.schema import SchemaError
from unspin.web.json_api import Service, check_length, client_of
from unspin.web.service import detect_available

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

_NAV = (
    '<nav class="top"><a class="brand" href="/">unspin</a> <a href="/">Check</a> '
    '<a href="/search">Search</a> <a href="/sites">Sites</a> <a href="/api/docs">API</a></nav>'
)
_CSS = """
nav.top { background: #1b1b1b; padding: .5rem 1.5rem; }
nav.top a { color: #fff; margin-right: 1rem; text-decoration: none; }
nav.top a.brand { font-weight: 700; }
form.paste textarea { width: 100%; min-height: 16rem; font: inherit; padding: .5rem; }
form label { display: block; margin: .5rem 0 .2rem; font-weight: 600; }
form input[type=text], form input[type=search] { width: 100%; max-width: 40rem; font: inherit;
  padding: .3rem; }
form .row { display: flex; gap: 1rem; flex-wrap: wrap; }
form .row > div { flex: 1 1 14rem; }
button { font: inherit; padding: .4rem 1.2rem; margin-top: .8rem; background: #0b4fa3;
  color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
button.secondary { background: #444; }
button:focus, a:focus, input:focus, textarea:focus { outline: 3px solid #f08c00; }
table.list td, table.list th { text-align: left; padding: .25rem .5rem;
  border-bottom: 1px solid #ccc; vertical-align: top; overflow-wrap: anywhere; }
figure { margin: 1rem 0; } figcaption { color: #555; font-size: .9rem; }
svg.chart { width: 100%; max-width: 720px; height: auto; }
svg text { font: 12px system-ui, sans-serif; fill: #1b1b1b; }
pre.article { white-space: pre-wrap; overflow-wrap: anywhere; font: inherit; }
"""
_CHART_BAR = "#1552a6"
_ARCHIVE_SITES = 20
"""Sites of the archive listed on the sites page, at most (those with most documents)."""


def html_page(title: str, body: str) -> str:
    return page(title, body, header=_NAV, extra_css=_CSS)


def message_page(title: str, message_html: str) -> str:
    return html_page(title, f"<h1>{escape(title)}</h1><p>{message_html}</p>")


@router.get("/")
def home() -> str:
    detect_button = (
        '<button class="secondary" type="submit" name="action" value="detect">'
        "Detect spin without a source</button>"
        if detect_available()
        else ""
    )
    return html_page(
        "unspin: check a suspect",
        f"""<h1>Check a suspect text</h1>
<p>Paste an article (or upload a .txt or .html file); unspin finds its sources in the
archive and marks every swapped word.</p>
<form class="paste" method="post" action="/check" enctype="multipart/form-data">
<label for="text">Suspect text</label>
<textarea id="text" name="text" placeholder="Paste the suspect article here"></textarea>
<label for="file">or upload a file</label>
<input id="file" name="file" type="file" accept=".txt,.html,.htm,text/plain,text/html">
<details><summary>About the suspect (optional)</summary><div class="row">
<div><label for="title">Title</label><input id="title" name="title" type="text"></div>
<div><label for="url">URL</label><input id="url" name="url" type="text"></div>
<div><label for="site">Site</label><input id="site" name="site" type="text"></div>
<div><label for="published">Published (YYYY-MM-DD)</label>
<input id="published" name="published" type="text"></div></div></details>
<button type="submit" name="action" value="check">Check</button> {detect_button}
</form>""",
    )


@router.post("/check", response_model=None)
async def check_form(
    service: Service,
    request: Request,
    text: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
    title: Annotated[str, Form()] = "",
    url: Annotated[str, Form()] = "",
    site: Annotated[str, Form()] = "",
    published: Annotated[str, Form()] = "",
    action: Annotated[str, Form()] = "check",
) -> Response:
    """Check (or detect) the pasted or uploaded suspect; a check redirects to its report."""
    if not same_site(request):
        raise HTTPException(403, "this form only takes posts from this server's own pages")
    suspect = await _suspect_of(text, file)
    suspect = Document(
        suspect.id,
        suspect.text,
        url.strip() or suspect.url,
        title.strip() or suspect.title,
        site.strip() or suspect.site,
        published.strip() or suspect.published,
    )
    check_length(suspect.text, service.settings)
    if action == "detect":
        found = await service.detect(suspect)
        return HTMLResponse(html_page("unspin: detection", detection_html(suspect, found)))
    check_id, _ = await service.check(suspect, client=client_of(request))
    return RedirectResponse(f"/checks/{check_id}", status_code=303)


def same_site(request: Request) -> bool:
    """Whether a form post comes from this server's own page, not from another site's.

    Browsers say so in ``Sec-Fetch-Site`` (or, older ones, in ``Origin``); clients
    that send neither (curl, scripts) are not browsers another site could drive.
    """
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:
        return True
    return urlsplit(origin).netloc == request.headers.get("host", "")


async def _suspect_of(text: str, file: UploadFile | None) -> Document:
    if file is not None and file.filename:
        name = file.filename
        data = await file.read()
        try:  # reading an HTML page means extracting its article: heavy work
            return await run_in_threadpool(read_document_stdin, io.BytesIO(data), name=name)
        except UnspinError as error:
            raise HTTPException(400, str(error)) from None
    if not text.strip():
        raise HTTPException(400, "paste a suspect text or choose a file")
    return Document("pasted text", text)


@router.get("/checks/{check_id}")
def check_page(check_id: int, service: Service) -> str:
    stored = service.store.get(check_id)
    if stored is None:
        raise HTTPException(404, f"no check number {check_id}")
    try:
        result = stored.check_result(service.sources_of(stored.source_ids))
    except SchemaError as error:  # stored by a newer unspin, or damaged
        raise HTTPException(500, f"check {check_id} cannot be shown: {error}") from None
    note = (
        f'<p class="meta screen-only">Check {stored.id}, {escape(stored.checked_at)}. '
        '<a href="/">Check another</a></p>'
    )
    report = result_html(result, source_page=lambda source: document_path(source.id))
    return html_page(f"unspin: {stored.suspect.title or stored.suspect.id}", note + report)


@router.get("/search")
def search(service: Service, q: str = "") -> str:
    rows = service.index.search(q) if q.strip() else []
    found = "".join(
        f"<tr><td>{_document_link(d.id, d.title or d.id)}</td><td>{escape(d.site or '')}</td>"
        f"<td>{escape(d.published or '')}</td><td>{escape(d.text[:200])}…</td></tr>"
        for d in rows
    )
    results = (
        f'<table class="list"><thead><tr><th>document</th><th>site</th><th>published</th>'
        f"<th>beginning</th></tr></thead><tbody>{found}</tbody></table>"
        if rows
        else (f"<p>Nothing in the index matches {escape(q)!s}.</p>" if q.strip() else "")
    )
    return html_page(
        "unspin: search",
        f"""<h1>Search the index</h1>
<form method="get" action="/search"><label for="q">Words, a document id or a site</label>
<input id="q" name="q" type="search" value="{escape(q)}">
<button type="submit">Search</button></form>{results}""",
    )


@router.get("/documents/{doc_id:path}")
def document_page(doc_id: str, service: Service) -> str:
    document = service.index.get(doc_id)
    if document is None:
        raise HTTPException(404, f"no document with id {doc_id!r} in the index")
    copies = service.store.copies_of(doc_id)
    rows = "".join(
        f'<tr><td><a href="/checks/{c.check_id}">{escape(c.title or c.suspect_id)}</a></td>'
        f"<td>{escape(c.site or '')}</td><td>{link(c.url)}</td><td>{escape(c.published or '')}</td>"
        f'<td><span class="verdict v-{escape(c.verdict)}">{escape(c.verdict)}</span></td>'
        f"<td>{c.coverage:.0%}</td><td>{c.spin_rate:.0%}</td></tr>"
        for c in copies
    )
    known = (
        '<table class="list"><thead><tr><th>copy</th><th>site</th><th>url</th><th>published</th>'
        f"<th>verdict</th><th>coverage</th><th>spin rate</th></tr></thead><tbody>{rows}</tbody>"
        "</table>"
        if copies
        else "<p>No copies of this document have been checked yet.</p>"
    )
    meta = " · ".join(
        part
        for part in (
            escape(document.id),
            link(document.url) if document.url else "",
            escape(document.site or ""),
            escape(document.published or ""),
        )
        if part
    )
    return html_page(
        f"unspin: {document.title or document.id}",
        f"<h1>{escape(document.title or document.id)}</h1><p class='meta'>{meta}</p>"
        f"<h2>Known copies ({len(copies)})</h2>{known}"
        f'<h2>Text</h2><pre class="article">{escape(document.text)}</pre>',
    )


@router.get("/sites")
def sites_page(service: Service) -> str:
    data = service.store.sites()
    rows = "".join(
        f"<tr><td>{escape(site['site'])}</td><td>{escape(source['source_site'])}</td>"
        f"<td>{source['copies']}</td><td>{source['mean_spin_rate']:.0%}</td>"
        f"<td>{_source_list(source['documents'])}</td></tr>"
        for site in data["sites"]
        for source in site["sources"]
    )
    table = (
        '<table class="list"><thead><tr><th>copying site</th><th>copies from site</th>'
        f"<th>copies</th><th>mean spin rate</th><th>sources copied</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        if rows
        else "<p>No copies found yet: check some suspects first.</p>"
    )
    histogram = bar_chart(
        "spin-chart",
        "Spin rate of the copies found",
        [
            (f"{bin_['from']:.0%}–{bin_['to']:.0%}", bin_["copies"])
            for bin_ in data["spin_rate_histogram"]
        ],
    )
    timeline = bar_chart(
        "timeline-chart",
        "Copies found per day (publication date, else check date)",
        [(day["date"], day["copies"]) for day in data["timeline"][-60:]],
    )
    archived = list(service.index.sites().items())
    archive = (
        '<table class="list"><thead><tr><th>site</th><th>documents</th></tr></thead><tbody>'
        + "".join(
            f"<tr><td>{escape(site)}</td><td>{count:,}</td></tr>"
            for site, count in archived[:_ARCHIVE_SITES]
        )
        + "</tbody></table>"
        if archived
        else "<p>No archived document names its site.</p>"
    )
    return html_page(
        "unspin: sites",
        f"<h1>Sites</h1><h2>Which sites copy which sources</h2>{table}"
        f"<h2>Spin rate distribution</h2>{histogram}<h2>Timeline</h2>{timeline}"
        f"<h2>Sites in the archive</h2>{archive}",
    )


def _source_list(documents: list[dict[str, Any]], shown: int = 5) -> str:
    items = [f"{_document_link(d['source_id'], d['source_id'])} ({d['copies']})" for d in documents]
    more = f", and {len(items) - shown} more" if len(items) > shown else ""
    return ", ".join(items[:shown]) + more


def bar_chart(element_id: str, caption: str, bars: Sequence[tuple[str, int]]) -> str:
    """An inline SVG bar chart (no script, no external assets) with a text fallback."""
    width, height, bottom, top = 640, 220, 40, 20
    step = width / max(len(bars), 10)  # a lone bar stays a bar, not a wall
    tallest = max((count for _, count in bars), default=0) or 1
    label_every = max(1, len(bars) // 10)
    parts = []
    for number, (label, count) in enumerate(bars):
        bar_height = (height - bottom - top) * count / tallest
        x = number * step + step * 0.1
        y = height - bottom - bar_height
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{step * 0.8:.1f}" '
            f'height="{bar_height:.1f}" fill="{_CHART_BAR}"><title>{escape(label)}: {count}'
            "</title></rect>"
        )
        if count:
            parts.append(
                f'<text x="{x + step * 0.4:.1f}" y="{y - 4:.1f}" '
                f'text-anchor="middle">{count}</text>'
            )
        if number % label_every == 0:
            parts.append(
                f'<text x="{x + step * 0.4:.1f}" y="{height - bottom + 16}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    parts.append(
        f'<line x1="0" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" stroke="#555"/>'
    )
    summary = ", ".join(f"{escape(label)}: {count}" for label, count in bars) or "no data"
    return (
        f'<figure id="{element_id}"><svg viewBox="0 0 {width} {height}" class="chart" '
        f'role="img" aria-label="{escape(caption)}">{"".join(parts)}</svg>'
        f"<figcaption>{escape(caption)}. {summary}</figcaption></figure>"
    )


@router.get("/api/docs")
def api_docs(request: Request) -> str:
    """A readable, script-free list of the API operations from the OpenAPI schema."""
    schema: dict[str, Any] = request.app.openapi()
    items = []
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            items.append(
                f"<li><code>{escape(method.upper())} {escape(path)}</code>: "
                f"{escape(operation.get('summary', ''))}"
                f"<br><span class='meta'>{escape(operation.get('description', ''))}</span></li>"
            )
    return html_page(
        "unspin: API",
        "<h1>HTTP API</h1><p>Full schema: <a href='/api/openapi.json'>/api/openapi.json</a>. "
        "Writes need <code>Authorization: Bearer TOKEN</code>.</p>"
        f"<ul>{''.join(items)}</ul>",
    )


def document_path(doc_id: str) -> str:
    return f"/documents/{quote(doc_id, safe='/')}"


def _document_link(doc_id: str, text: str) -> str:
    return f'<a href="{escape(document_path(doc_id))}">{escape(text)}</a>'

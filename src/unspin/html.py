"""Self-contained HTML reports: the evidence, for people who do not read JSON.

One file, no external assets and no script: inline CSS only, and a
Content-Security-Policy that forbids scripts, so a report stays inert even
though every article, title and URL in it is hostile input. Everything taken
from a text is escaped; URLs become links only when they are http(s).

The copy and each source sit side by side, one row per passage: a run of copy
sentences and the source sentences they were derived from (found through the
edits' source offsets). Each swap is a focusable ``<mark>`` whose tooltip (on
hover or keyboard focus) shows the other side's words; printing writes those
words inline instead.

>>> from unspin.html import render_report
>>> Path("report.html").write_text(render_report([result]))  # doctest: +SKIP
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from unspin.errors import UnspinError
from unspin.model import COPY_VERDICTS, CheckResult, Document, Edit, Match
from unspin.report import (
    also_in_note,
    retrieval_reason,
    shared_quotes,
    unsupported_language_note,
)

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "EDIT_COLOURS",
    "SOURCE_COLOURS",
    "DetectionLike",
    "FlagLike",
    "detection_html",
    "page",
    "render_report",
    "result_html",
    "safe_href",
    "write_report",
]

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
"""No scripts, no remote anything: a report (or page) can only show itself."""

EDIT_COLOURS: dict[str, str] = {
    "synonym": "#ffe066",
    "inflection": "#a5e8f5",
    "other": "#f5c2f0",
    "insertion": "#b9f0c1",
    "deletion": "#ffc9c9",
    "moved": "#c5d9ff",
    "quote": "#dee2e6",
    "flag": "#ffd8a8",
}
"""Highlight backgrounds; all keep WCAG AA contrast (>= 4.5) with the text colour."""
TEXT_COLOUR = "#1b1b1b"
SOURCE_COLOURS = ("#9c3400", "#1552a6", "#22703a", "#7a2a8f", "#8a5a00", "#a3123f")
"""One colour per source of a (stitched) copy; white text on each passes WCAG AA."""

_EDIT_LABELS = {
    "synonym": "synonym swapped in",
    "inflection": "other form of the word",
    "other": "other replacement",
    "insertion": "added, not in the source",
    "deletion": "source words dropped",
    "moved": "moved from elsewhere",
    "quote": "shared quote (never counted as copying)",
}
_MARKED_TYPES = frozenset(_EDIT_LABELS)
_NEAR_CHARS = 300  # source edits further apart than this belong to different passages
_SHOWN_DELETION_WORDS = 12

_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")


class FlagLike(Protocol):
    """A suspicious stretch of a text found without a source (see ``unspin.detect``)."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def score(self) -> float: ...
    @property
    def suggestions(self) -> Sequence[str]: ...


class DetectionLike(Protocol):
    """A sourceless spin detection: an overall score and verdict, and the flagged words."""

    @property
    def spin_score(self) -> float: ...
    @property
    def verdict(self) -> str: ...
    @property
    def flags(self) -> Sequence[FlagLike]: ...


@dataclass(frozen=True, slots=True)
class _Passage:
    """One row of the side-by-side view: copy[copy_start:copy_end] from one source's span."""

    copy_start: int
    copy_end: int
    match: int | None
    source_start: int = 0
    source_end: int = 0


# --- public entry points ---------------------------------------------------------------------


def render_report(
    results: Iterable[CheckResult],
    *,
    detections: Iterable[tuple[Document, DetectionLike]] = (),
    title: str = "unspin report",
) -> str:
    """One self-contained HTML document for checked suspects and sourceless detections."""
    sections = [result_html(result) for result in results]
    sections += [detection_html(document, detection) for document, detection in detections]
    if not sections:
        sections.append("<p>No suspects were checked.</p>")
    return page(title, "\n".join(sections))


def write_report(
    path: str | Path,
    results: Iterable[CheckResult],
    *,
    detections: Iterable[tuple[Document, DetectionLike]] = (),
) -> None:
    """Write :func:`render_report` to ``path``; raises UnspinError naming the file."""
    report = render_report(
        results, detections=detections, title=f"unspin report: {Path(path).name}"
    )
    try:
        Path(path).write_text(report, encoding="utf-8")
    except OSError as error:
        raise UnspinError(f"{path}: cannot write the HTML report ({error.strerror})") from None


def page(title: str, body: str, *, header: str = "", extra_css: str = "") -> str:
    """A complete HTML page around ``body`` (already safe HTML) with the report styles.

    ``header`` (safe HTML) goes before the main content; ``extra_css`` after the styles.
    """
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{escape(title)}</title><style>{_CSS}{extra_css}</style></head>"
        f"<body>{header}<main>\n{body}\n</main></body></html>\n"
    )


def safe_href(url: str | None) -> str | None:
    """``url`` when it is a plain http(s) URL safe to link to, else None."""
    if not url or len(url) > 2048 or any(c.isspace() or ord(c) < 32 for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def link(url: str | None, text: str | None = None) -> str:
    """A link for http(s) URLs; anything else (``javascript:``...) as plain text."""
    shown = escape(text if text is not None else url or "")
    href = safe_href(url)
    if href is None:
        return shown
    return f'<a href="{escape(href)}" rel="noopener noreferrer nofollow">{shown}</a>'


def result_html(
    result: CheckResult, *, source_page: Callable[[Document], str] | None = None
) -> str:
    """The report section for one checked suspect: summary, legend, side by side.

    ``source_page`` gives a same-site path for each source (the web app's document
    pages); the source's own URL is then linked beside it.
    """
    copies = [m for m in result.matches if m.verdict in COPY_VERDICTS]
    parts = [
        '<section class="suspect">',
        _summary(result, copies, source_page),
    ]
    if copies:
        parts.append(_legend(tuple(_EDIT_LABELS)))
        parts.append(_side_by_side(result.query.text, copies))
    else:
        # A retelling copies nothing, but the quotes it shares with its sources are shown.
        quotes = [e for m in result.matches for e in m.edits if e.type == "quote"]
        if quotes:
            parts.append(_legend(("quote",)))
        text = result.query.text
        parts.append(f'<div class="plain">{_marked(text, 0, len(text), _copy_marks(quotes))}</div>')
    parts.append("</section>")
    return "\n".join(parts)


def detection_html(document: Document, detection: DetectionLike) -> str:
    """The report section for a sourceless detection: flagged words and suggestions."""
    flags = sorted(detection.flags, key=lambda f: (f.start, f.end))
    marks = []
    for flag in flags:
        suggestions = ", ".join(flag.suggestions) or "no suggestion"
        marks.append(
            _Mark(
                flag.start,
                flag.end,
                "flag",
                f"likely original: {suggestions}",
                f"suspicious word {flag.text!r} (score {flag.score:.2f}); "
                f"likely original: {suggestions}",
            )
        )
    verdict = detection.verdict
    return "\n".join(
        [
            '<section class="suspect detection">',
            f'<header class="summary"><h1>{escape(_display_id(document))}</h1>',
            f'<p><span class="verdict v-{escape(_slug(verdict))}">{escape(verdict.upper())}</span>'
            f" spin score <strong>{detection.spin_score:.0%}</strong>, "
            f"{len(flags)} flagged {'word' if len(flags) == 1 else 'words'}; "
            "no source compared (sourceless detection).</p>",
            _document_meta(document),
            "</header>",
            _legend(("flag",)),
            f'<div class="plain">{_marked(document.text, 0, len(document.text), marks)}</div>',
            "</section>",
        ]
    )


# --- summary and legend ----------------------------------------------------------------------


def _summary(
    result: CheckResult, copies: list[Match], source_page: Callable[[Document], str] | None
) -> str:
    query = result.query
    verdict = result.verdict
    headline = (
        f'<p><span class="verdict v-{verdict}">{verdict.upper()}</span> '
        f"{len(query.text):,} characters"
    )
    if result.matches:
        best = result.matches[0]
        headline += (
            f"; coverage <strong>{best.coverage:.0%}</strong>,"
            f" spin rate <strong>{best.spin_rate:.0%}</strong> (best source)"
        )
    lines = [
        '<header class="summary">',
        f"<h1>{escape(_display_id(query))}</h1>",
        headline + "</p>",
    ]
    lines.append(_document_meta(query))
    lines.append(_provenance(result))
    if result.unsupported_language:
        lines.append(f'<p class="warning">{escape(unsupported_language_note(result.language))}</p>')
    if not result.matches:
        lines.append("<p>No source found in the index.</p>")
    else:
        lines.append(
            '<table class="sources"><thead><tr><th>source</th><th>verdict</th><th>score</th>'
            "<th>coverage</th><th>spin rate</th><th>site</th><th>published</th>"
            "<th>why retrieved</th></tr></thead><tbody>"
        )
        for match in result.matches:
            source = match.source
            colour = _source_colour(copies.index(match)) if match in copies else "transparent"
            if source_page is None:
                name = link(source.url, source.title or source.id)
            else:
                shown = escape(source.title or source.id)
                name = f'<a href="{escape(source_page(source))}">{shown}</a>'
                if safe_href(source.url):
                    name += f" ({link(source.url, 'original')})"
            extra = f'<div class="id">{escape(source.id)}</div>' if source.title else ""
            also_in = also_in_note(match)
            if also_in:
                extra += f'<div class="id">{escape(also_in)}</div>'
            if match.verdict == "independent":
                extra += _quote_list(match)
            lines.append(
                f'<tr><td><span class="swatch" style="background:{colour}"></span>{name}{extra}'
                f'</td><td><span class="verdict v-{match.verdict}">{match.verdict}</span></td>'
                f"<td>{match.score:.2f}</td><td>{match.coverage:.0%}</td>"
                f"<td>{match.spin_rate:.0%}</td><td>{escape(source.site or '')}</td>"
                f"<td>{escape(source.published or '')}</td>"
                f'<td class="why">{escape(retrieval_reason(match))}</td></tr>'
            )
        lines.append("</tbody></table>")
    lines.append("</header>")
    return "\n".join(lines)


def _provenance(result: CheckResult) -> str:
    """Which unspin, index and settings gave this result: enough to reproduce it."""
    provenance = result.provenance
    if provenance is None:
        return '<p class="meta provenance">provenance unknown</p>'
    settings = ", ".join(
        f"{key} {json.dumps(value)}" for key, value in sorted(provenance.settings.items())
    )
    return (
        f'<p class="meta provenance">unspin {escape(provenance.version)} · index '
        f"<code>{escape(provenance.index_id)}</code> ({provenance.index_documents:,} documents,"
        f" schema {provenance.index_schema}) · settings: {escape(settings)}</p>"
    )


def _quote_list(match: Match) -> str:
    quotes = shared_quotes(match)
    if not quotes:
        return '<div class="id">no shared quote</div>'
    shown = ", ".join(f'<q class="e-quote">{escape(q)}</q>' for q in quotes)
    return f'<div class="id">shared quotes: {shown}</div>'


def _document_meta(document: Document) -> str:
    items = []
    if document.title:
        items.append(f"title: {escape(document.title)}")
    if document.url:
        items.append(f"url: {link(document.url)}")
    if document.site:
        items.append(f"site: {escape(document.site)}")
    if document.published:
        items.append(f"published: {escape(document.published)}")
    return f'<p class="meta">{" · ".join(items)}</p>' if items else ""


def _legend(types: Sequence[str]) -> str:
    keys = " ".join(
        f'<mark class="e-{name}">{escape(_EDIT_LABELS.get(name, "flagged as likely spun"))}</mark>'
        for name in types
    )
    hint = (
        "Hover over or tab to a highlighted word to see the other side's words; "
        "printed copies show them in brackets."
    )
    return f'<p class="legend">{keys}<br><span class="hint">{hint}</span></p>'


def _display_id(document: Document) -> str:
    return document.title or document.id


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9-]", "", text.lower())


def _source_colour(number: int) -> str:
    return SOURCE_COLOURS[number % len(SOURCE_COLOURS)]


# --- the side-by-side view ------------------------------------------------------------------


def _side_by_side(copy_text: str, copies: list[Match]) -> str:
    rows = [
        '<table class="pair"><thead><tr><th scope="col">copy</th>'
        '<th scope="col">source</th></tr></thead><tbody>'
    ]
    for passage in _passages(copy_text, copies):
        if passage.match is None:
            copy_cell = _marked(
                copy_text, passage.copy_start, passage.copy_end, _copy_marks(copies[0].edits)
            )
            rows.append(
                f'<tr><td class="copy">{copy_cell}</td>'
                '<td class="source none">no source passage found</td></tr>'
            )
            continue
        match = copies[passage.match]
        colour = _source_colour(passage.match)
        copy_cell = _marked(
            copy_text, passage.copy_start, passage.copy_end, _copy_marks(match.edits)
        )
        source_cell = _marked(
            match.source.text,
            passage.source_start,
            passage.source_end,
            _source_marks(match.edits),
        )
        label = escape(match.source.title or match.source.id)
        rows.append(
            f'<tr style="--source:{colour}"><td class="copy">{copy_cell}</td>'
            f'<td class="source"><span class="from" style="background:{colour}">{label}</span>'
            f"{source_cell}</td></tr>"
        )
    rows.append("</tbody></table>")
    return "\n".join(rows)


def _sentences(text: str) -> list[tuple[int, int, int]]:
    """(start, end, line number) of each sentence; a line break always ends one."""
    spans: list[tuple[int, int, int]] = []
    for number, line in enumerate(re.finditer(r"[^\n]+", text)):
        start = line.start()
        for end_mark in _SENTENCE_END.finditer(line.group()):
            end = line.start() + end_mark.end()
            if text[start:end].strip():
                spans.append((start, end, number))
            start = end
        if text[start : line.end()].strip():
            spans.append((start, line.end(), number))
    return spans


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def _is_aligned(edit: Edit) -> bool:
    """An edit that ties copy words to source words (not an insertion or deletion)."""
    return edit.type not in ("insertion", "deletion")


def _source_span(edits: list[Edit], start: int, end: int) -> tuple[int, int] | None:
    """The source span that copy[start:end] came from: its densest cluster of aligned edits."""
    pieces = sorted(
        (e.source_start, e.source_end, _overlap(start, end, e.copy_start, e.copy_end))
        for e in edits
        if _is_aligned(e) and _overlap(start, end, e.copy_start, e.copy_end) > 0
    )
    if not pieces:
        return None
    best: tuple[int, int, int] | None = None
    cluster_start, cluster_end, weight = pieces[0]
    for piece_start, piece_end, piece_weight in [*pieces[1:], (1 << 62, 1 << 62, 0)]:
        if piece_start - cluster_end <= _NEAR_CHARS:
            cluster_end = max(cluster_end, piece_end)
            weight += piece_weight
            continue
        if best is None or weight > best[2]:
            best = (cluster_start, cluster_end, weight)
        cluster_start, cluster_end, weight = piece_start, piece_end, piece_weight
    assert best is not None
    return best[0], best[1]


def _passages(copy_text: str, copies: list[Match]) -> list[_Passage]:
    """Copy sentences paired with source spans, neighbours from one source merged."""
    passages: list[_Passage] = []
    last_line = -1
    for start, end, line in _sentences(copy_text):
        weights = [
            sum(_overlap(start, end, e.copy_start, e.copy_end) for e in m.edits if _is_aligned(e))
            for m in copies
        ]
        best = max(range(len(copies)), key=lambda i: weights[i])
        span = _source_span(copies[best].edits, start, end) if weights[best] else None
        passage = _Passage(start, end, None) if span is None else _Passage(start, end, best, *span)
        previous = passages[-1] if passages else None
        if (
            previous is not None
            and line == last_line
            and previous.match == passage.match
            and (
                passage.match is None
                or _overlap(
                    previous.source_start - _NEAR_CHARS,
                    previous.source_end + _NEAR_CHARS,
                    passage.source_start,
                    passage.source_end,
                )
                > 0
            )
        ):
            passages[-1] = _Passage(
                previous.copy_start,
                end,
                passage.match,
                min(previous.source_start, passage.source_start),
                max(previous.source_end, passage.source_end),
            )
        else:
            passages.append(passage)
        last_line = line
    return [_widen(p, copies) for p in passages]


def _widen(passage: _Passage, copies: list[Match]) -> _Passage:
    """Grow a passage's source span to whole source sentences."""
    if passage.match is None:
        return passage
    source_text = copies[passage.match].source.text
    start, end = passage.source_start, passage.source_end
    for sentence_start, sentence_end, _ in _sentences(source_text):
        if _overlap(sentence_start, sentence_end, start, end) > 0:
            start = min(start, sentence_start)
            end = max(end, sentence_end)
    return _Passage(passage.copy_start, passage.copy_end, passage.match, start, end)


# --- marked-up text --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Mark:
    start: int
    end: int
    type: str
    other: str
    """The other side's words, shown in the tooltip and in print."""
    label: str
    """What a screen reader says."""


def _copy_marks(edits: list[Edit]) -> list[_Mark]:
    marks = []
    for edit in edits:
        if edit.type not in _MARKED_TYPES:
            continue
        copy_words, source_words = edit.copy_text, edit.source_text
        if edit.type == "insertion":
            marks.append(
                _Mark(
                    edit.copy_start,
                    edit.copy_end,
                    "insertion",
                    "not in source",
                    "added words, not in the source",
                )
            )
        elif edit.type == "deletion":
            if edit.source_words and edit.source_words > _SHOWN_DELETION_WORDS:
                continue  # a dropped paragraph would bury the copy's own text
            marks.append(
                _Mark(
                    edit.copy_start,
                    edit.copy_start,
                    "deletion",
                    f"dropped: {source_words}",
                    f"source words dropped: {source_words}",
                )
            )
        elif edit.type == "moved":
            marks.append(
                _Mark(
                    edit.copy_start,
                    edit.copy_end,
                    "moved",
                    "moved in source order",
                    "copied words moved from elsewhere in the source",
                )
            )
        elif edit.type == "quote":
            marks.append(
                _Mark(
                    edit.copy_start,
                    edit.copy_end,
                    "quote",
                    f"quoted in the source: {source_words}",
                    "a quote the source has too, not counted as copying",
                )
            )
        else:
            marks.append(
                _Mark(
                    edit.copy_start,
                    edit.copy_end,
                    edit.type,
                    f"source: {source_words}",
                    f"{edit.type}: copy says {copy_words}, source says {source_words}",
                )
            )
    return marks


def _source_marks(edits: list[Edit]) -> list[_Mark]:
    marks = []
    for edit in edits:
        if edit.type not in _MARKED_TYPES or edit.type == "insertion":
            continue
        if edit.type == "deletion":
            marks.append(
                _Mark(
                    edit.source_start,
                    edit.source_end,
                    "deletion",
                    "not in copy",
                    "source words dropped from the copy",
                )
            )
        elif edit.type == "moved":
            marks.append(
                _Mark(
                    edit.source_start,
                    edit.source_end,
                    "moved",
                    "copied elsewhere in the copy",
                    "words the copy moved",
                )
            )
        elif edit.type == "quote":
            marks.append(
                _Mark(
                    edit.source_start,
                    edit.source_end,
                    "quote",
                    f"quoted in the copy: {edit.copy_text}",
                    "a quote the copy has too, not counted as copying",
                )
            )
        else:
            marks.append(
                _Mark(
                    edit.source_start,
                    edit.source_end,
                    edit.type,
                    f"copy: {edit.copy_text}",
                    f"{edit.type}: source says {edit.source_text}, copy says {edit.copy_text}",
                )
            )
    return marks


def _marked(text: str, start: int, end: int, marks: Iterable[_Mark]) -> str:
    """text[start:end], escaped, with marks inside it; overlapping marks are dropped."""
    out: list[str] = []
    position = start
    for mark in sorted(marks, key=lambda m: (m.start, m.end)):
        mark_start, mark_end = max(mark.start, start), min(mark.end, end)
        if (
            mark_start < position
            or mark_start > end
            or (
                mark_end <= mark_start and (mark.start != mark.end or not start < mark.start <= end)
            )
        ):
            continue
        out.append(_text(text[position:mark_start]))
        shown = _text(text[mark_start:mark_end]) if mark_end > mark_start else "‸"
        out.append(
            f'<mark class="e-{mark.type}" tabindex="0" title="{escape(mark.other)}" '
            f'aria-label="{escape(mark.label)}" data-other="{escape(mark.other)}">{shown}</mark>'
        )
        position = max(mark_end, mark_start)
    out.append(_text(text[position:end]))
    return "".join(out)


def _text(text: str) -> str:
    return escape(text).replace("\n", "<br>")


_CSS = """
:root { color-scheme: light; --text: $TEXT; --muted: #555; --line: #ccc; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif;
  color: var(--text); background: #fff; }
main { max-width: 1200px; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.35rem; margin: .2rem 0 .4rem; overflow-wrap: anywhere; }
a { color: #0b4fa3; }
section.suspect { border-top: 3px solid var(--text); margin-top: 1.5rem; padding-top: .5rem; }
.meta, .id, .hint, .why { color: var(--muted); font-size: .9rem; overflow-wrap: anywhere; }
.warning { border-left: 5px solid #a64b00; padding: .3rem .6rem; background: #fff4e6;
  font-weight: 600; }
q.e-quote { font-style: italic; }
.verdict { display: inline-block; padding: 0 .5em; border-radius: 3px; font-weight: 700;
  color: #fff; background: #444; letter-spacing: .03em; }
.v-verbatim { background: #a61e1e; } .v-spun { background: #a64b00; }
.v-partial { background: #7a5a00; } .v-independent { background: #1552a6; }
.v-unrelated { background: #555; }
table { border-collapse: collapse; width: 100%; }
table.sources td, table.sources th { text-align: left; padding: .25rem .5rem;
  border-bottom: 1px solid var(--line); vertical-align: top; }
.swatch { display: inline-block; width: .8em; height: .8em; margin-right: .4em;
  border-radius: 2px; vertical-align: baseline; }
table.pair { table-layout: fixed; margin-top: .5rem; }
table.pair th { text-align: left; border-bottom: 2px solid var(--text); padding: .3rem .6rem; }
table.pair td { vertical-align: top; padding: .5rem .6rem; border-bottom: 1px solid var(--line);
  overflow-wrap: anywhere; }
table.pair tr > td.copy { border-left: 5px solid var(--source, var(--line)); }
td.source.none { color: var(--muted); font-style: italic; }
.from { display: inline-block; color: #fff; font-size: .8rem; padding: 0 .4em;
  border-radius: 3px; margin-right: .4em; }
.plain { white-space: normal; overflow-wrap: anywhere; margin-top: .5rem; }
.legend mark { margin-right: .3em; }
mark { color: var(--text); padding: 0 .1em; border-radius: 2px; position: relative; }
$MARKS
mark.e-deletion { text-decoration: line-through; }
mark.e-quote { font-style: italic; }
mark[data-other]:focus { outline: 3px solid #0b4fa3; outline-offset: 1px; }
mark[data-other]:hover::after, mark[data-other]:focus::after {
  content: attr(data-other); position: absolute; left: 0; top: 100%; z-index: 10;
  margin-top: 2px; white-space: nowrap; padding: .15rem .45rem; border-radius: 3px;
  background: #1b1b1b; color: #fff; font-size: .85rem; text-decoration: none; }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  .hint, nav, form, .screen-only { display: none !important; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  section.suspect { break-before: page; }
  section.suspect:first-of-type { break-before: auto; }
  table.pair tr { break-inside: avoid; }
  a::after { content: " <" attr(href) ">"; font-size: .8em; color: var(--muted); }
  mark[data-other]::after, mark[data-other]:hover::after, mark[data-other]:focus::after {
    content: " [" attr(data-other) "]"; position: static; background: none; color: var(--muted);
    padding: 0; font-size: .8em; white-space: normal; }
}
"""
_CSS = _CSS.replace("$TEXT", TEXT_COLOUR).replace(
    "$MARKS",
    "\n".join(
        f"mark.e-{name} {{ background: {colour}; }}" for name, colour in EDIT_COLOURS.items()
    ),
)

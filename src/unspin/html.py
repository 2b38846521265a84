"""Self-contained HTML reports: the evidence, for people who do not read JSON.

One file, no external assets and no script: inline CSS only, and a
Content-Security-Policy that forbids scripts, so a report stays inert even
though every article, title and URL in it is hostile input. Everything taken
from a text is escaped; URLs become links only when they are http(s).

The copy and each source sit side by side, one row per passage: a run of copy
sentences and the source sentences they were derived from (the alignment's
sentence pairs, :attr:`unspin.model.Match.pairs`). Each swap is a focusable
``<mark>`` whose tooltip (on hover or keyboard focus) shows the other side's
words; printing writes those words inline instead.

>>> from unspin.html import render_report
>>> Path("report.html").write_text(render_report([result]))  # doctest: +SKIP
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from unspin.errors import UnspinError
from unspin.io import atomic_write
from unspin.model import COPY_VERDICTS, CheckResult, Document, Edit, Match, SentencePair
from unspin.report import (
    also_in_note,
    new_facts_note,
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
    "PassageLike",
    "detection_html",
    "page",
    "render_report",
    "result_html",
    "safe_href",
    "write_report",
]

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "form-action 'self'; base-uri 'none'"
)
"""No scripts, no remote anything: a report (or page) can only show itself. The web app
sends it as a header, with ``frame-ancestors 'none'``, which only a header can carry."""

EDIT_COLOURS: dict[str, str] = {
    "synonym": "#ffe066",
    "inflection": "#a5e8f5",
    "other": "#f5c2f0",
    "insertion": "#b9f0c1",
    "deletion": "#ffc9c9",
    "moved": "#c5d9ff",
    "quote": "#dee2e6",
    "fact_changed": "#ffa8a8",
    "added": "#d8f5a2",
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
    "fact_changed": "name or number changed",
    "added": "sentence added, retells nothing in the source",
}
_MARKED_TYPES = frozenset(_EDIT_LABELS)
_SHOWN_DELETION_WORDS = 12

_WORD_CHAR = re.compile(r"\w")
_LINE = re.compile(r"[^\n]+")


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
    @property
    def evidence(self) -> Sequence[str]: ...


class PassageLike(Protocol):
    """A stretch of a detected text that looks spun on its own."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def spin_score(self) -> float: ...


class DetectionLike(Protocol):
    """A sourceless spin detection: an overall score and verdict, and the flagged words."""

    @property
    def spin_score(self) -> float: ...
    @property
    def verdict(self) -> str: ...
    @property
    def flags(self) -> Sequence[FlagLike]: ...
    @property
    def passages(self) -> Sequence[PassageLike]: ...


@dataclass(frozen=True, slots=True)
class _Row:
    """One row of the side-by-side view: ``copy[copy_start:copy_end]`` and, when it was
    derived from a source, ``source[source_start:source_end]`` of match number ``match``."""

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
    """Write :func:`render_report` to ``path`` atomically; raises UnspinError naming the file."""
    report = render_report(
        results, detections=detections, title=f"unspin report: {Path(path).name}"
    )
    try:
        with atomic_write(Path(path)) as temporary:  # a crash never leaves half a report
            temporary.write_text(report, encoding="utf-8")
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
    text = result.query.text
    if any(shown_pairs(m) for m in copies):
        parts.append(_legend(tuple(_EDIT_LABELS)))
        parts.append(_side_by_side(text, copies))
    elif copies:
        # Read from JSON of schema 1, which did not keep which sentence came from which.
        parts.append(_legend(tuple(_EDIT_LABELS)))
        parts.append(
            '<p class="meta">Checked by an older unspin that kept no sentence pairs: '
            "the copy against its best source; check it again to see the sources beside it.</p>"
        )
        parts.append(_plain(text, copies[0].edits))
    else:
        # A retelling copies nothing, but the quotes it shares with its sources are shown.
        quotes = [e for m in result.matches for e in m.edits if e.type == "quote"]
        if quotes:
            parts.append(_legend(("quote",)))
        parts.append(_plain(text, quotes))
    parts.append("</section>")
    return "\n".join(parts)


def _plain(copy_text: str, edits: list[Edit]) -> str:
    """The whole copy, the edits marked in it."""
    marked = _marked(copy_text, 0, len(copy_text), _Marks(_copy_marks(edits)))
    return f'<div class="plain">{marked}</div>'


def detection_html(document: Document, detection: DetectionLike) -> str:
    """The report section for a sourceless detection: flagged words and suggestions."""
    flags = sorted(detection.flags, key=lambda f: (f.start, f.end))
    marks = []
    for flag in flags:
        suggestions = ", ".join(flag.suggestions) or "no suggestion"
        why = f"; why: {'; '.join(flag.evidence)}" if flag.evidence else ""
        marks.append(
            _Mark(
                flag.start,
                flag.end,
                "flag",
                f"likely original: {suggestions}{why}",
                f"suspicious word {flag.text!r} (score {flag.score:.2f}); "
                f"likely original: {suggestions}{why}",
            )
        )
    passages = "".join(
        f"<li>{escape(_opening(document.text[p.start : p.end]))} "
        f"(characters {p.start}-{p.end}, spin score {p.spin_score:.0%})</li>"
        for p in detection.passages
    )
    verdict = detection.verdict
    flagged = _Marks(marks)
    return "\n".join(
        [
            '<section class="suspect detection">',
            f'<header class="summary"><h1>{escape(_display_id(document))}</h1>',
            f'<p><span class="verdict v-{escape(_slug(verdict))}">{escape(verdict.upper())}</span>'
            f" spin score <strong>{detection.spin_score:.0%}</strong>, "
            f"{len(flags)} flagged {'word' if len(flags) == 1 else 'words'}; "
            "no source compared (sourceless detection).</p>",
            f'<p>Spun passages:</p><ul class="passages">{passages}</ul>' if passages else "",
            _document_meta(document),
            "</header>",
            _legend(("flag",)),
            f'<div class="plain">{_marked(document.text, 0, len(document.text), flagged)}</div>',
            "</section>",
        ]
    )


def _opening(text: str, words: int = 10) -> str:
    """The first ``words`` words of ``text``, with an ellipsis when there are more."""
    found = text.split()
    return " ".join(found[:words]) + (" ..." if len(found) > words else "")


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
            if match.verdict == "rewritten":
                extra += _new_facts(match)
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


def _new_facts(match: Match) -> str:
    facts = new_facts_note(match)
    return f'<div class="id">{escape(facts)}</div>'


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
    # Marks are worked out only for the matches that rows show (a long copy has many).
    copy_marks = _ByMatch(copies, _copy_marks)
    source_marks = _ByMatch(copies, _source_marks)
    for row in _rows(copy_text, copies):
        if row.match is None:
            copy_cell = _marked(copy_text, row.copy_start, row.copy_end, copy_marks[0])
            rows.append(
                f'<tr><td class="copy">{copy_cell}</td>'
                '<td class="source none">no source passage found</td></tr>'
            )
            continue
        match = copies[row.match]
        colour = _source_colour(row.match)
        copy_cell = _marked(copy_text, row.copy_start, row.copy_end, copy_marks[row.match])
        source_cell = _marked(
            match.source.text, row.source_start, row.source_end, source_marks[row.match]
        )
        label = escape(match.source.title or match.source.id)
        if match.verdict == "rewritten":
            label += f" · retold, similarity {_similarity_at(match, row.copy_start):.2f}"
        rows.append(
            f'<tr style="--source:{colour}"><td class="copy">{copy_cell}</td>'
            f'<td class="source"><span class="from" style="background:{colour}">{label}</span>'
            f"{source_cell}</td></tr>"
        )
    rows.append("</tbody></table>")
    return "\n".join(rows)


def _similarity_at(match: Match, copy_start: int) -> float:
    """The similarity of the retold pair that starts at ``copy_start`` (or holds it)."""
    for retold in match.sentences:
        if retold.copy_start <= copy_start < max(retold.copy_end, retold.copy_start + 1):
            return retold.similarity
    return 0.0


def _rows(copy_text: str, copies: list[Match]) -> list[_Row]:
    """The copy cut into rows: runs of sentences from one source, and lines from none.

    Neighbouring copy sentences share a row when they stand on one line (a
    paragraph) and come from neighbouring sentences of the same source, one
    sentence the copy dropped in between allowed.
    """
    dropped = [_dropped_sentences(m) for m in copies]
    rows: list[_Row] = []
    position = 0
    for number, pair in _best_pairs(copies):
        rows += _unsourced(copy_text, position, pair.copy_start)
        row = _Row(pair.copy_start, pair.copy_end, number, pair.source_start, pair.source_end)
        previous = rows[-1] if rows else None
        if (
            previous is not None
            and previous.match == number
            and "\n" not in copy_text[previous.copy_end : row.copy_start]
            and _neighbours(copies[number].source.text, dropped[number], previous, row)
        ):
            rows[-1] = _Row(
                previous.copy_start,
                row.copy_end,
                number,
                min(previous.source_start, row.source_start),
                max(previous.source_end, row.source_end),
            )
        else:
            rows.append(row)
        position = pair.copy_end
    rows += _unsourced(copy_text, position, len(copy_text))
    return rows


def _best_pairs(copies: list[Match]) -> list[tuple[int, SentencePair]]:
    """Each copy sentence with the source sentence most of it derives from, in copy order.

    A sentence copied from two sources (two reprints of one story) goes to the
    one it derives more from, on a tie to the better match.
    """
    ranked = sorted(
        ((number, pair) for number, match in enumerate(copies) for pair in shown_pairs(match)),
        key=lambda item: (-item[1].derived, item[0], item[1].copy_start),
    )
    starts: list[int] = []
    chosen: list[tuple[int, SentencePair]] = []
    for number, pair in ranked:
        k = bisect.bisect_left(starts, pair.copy_start)
        overlaps_next = k < len(chosen) and chosen[k][1].copy_start < pair.copy_end
        overlaps_previous = k > 0 and chosen[k - 1][1].copy_end > pair.copy_start
        if not (overlaps_next or overlaps_previous):
            starts.insert(k, pair.copy_start)
            chosen.insert(k, (number, pair))
    return chosen


def shown_pairs(match: Match) -> list[SentencePair]:
    """The sentence pairs a report shows: for a rewritten copy, those paired by meaning
    (their similarity standing for the share derived)."""
    if match.verdict != "rewritten":
        return match.pairs
    return [
        SentencePair(s.copy_start, s.copy_end, s.source_start, s.source_end, s.similarity)
        for s in match.sentences
    ]


def _unsourced(copy_text: str, start: int, end: int) -> list[_Row]:
    """Rows for copy text derived from no source: one per line."""
    rows = []
    for line in _LINE.finditer(copy_text, start, end):
        text = line.group()
        if text.strip():
            row_start = line.start() + len(text) - len(text.lstrip())
            rows.append(_Row(row_start, line.start() + len(text.rstrip()), None))
    return rows


def _dropped_sentences(match: Match) -> dict[int, Edit]:
    """The source's sentences the copy dropped, by where they start."""
    return {e.source_start: e for e in match.edits if e.type == "deletion"}


def _neighbours(source_text: str, dropped: dict[int, Edit], first: _Row, second: _Row) -> bool:
    """Whether two rows' source spans touch, or only one dropped sentence lies between."""
    if second.source_start >= first.source_end:
        gap_start, gap_end = first.source_end, second.source_start
    elif first.source_start >= second.source_end:  # a passage copied in reverse order
        gap_start, gap_end = second.source_end, first.source_start
    else:
        return True  # one source sentence made two copy sentences
    word = _WORD_CHAR.search(source_text, gap_start, gap_end)
    if word is None:
        return True
    deletion = dropped.get(word.start())
    return (
        deletion is not None
        and deletion.source_end <= gap_end
        and _WORD_CHAR.search(source_text, deletion.source_end, gap_end) is None
    )


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
        if edit.type in ("insertion", "added"):
            marks.append(
                _Mark(
                    edit.copy_start,
                    edit.copy_end,
                    edit.type,
                    "not in source",
                    _EDIT_LABELS[edit.type],
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
        if edit.type not in _MARKED_TYPES or edit.type in ("insertion", "added"):
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


class _ByMatch:
    """The marks of each match, made when first asked for."""

    def __init__(self, matches: list[Match], marks_of: Callable[[list[Edit]], list[_Mark]]) -> None:
        self._matches = matches
        self._marks_of = marks_of
        self._made: dict[int, _Marks] = {}

    def __getitem__(self, number: int) -> _Marks:
        made = self._made.get(number)
        if made is None:
            made = self._made[number] = _Marks(self._marks_of(self._matches[number].edits))
        return made


class _Marks:
    """Marks in order, and those that can touch any span of the text found in log time."""

    def __init__(self, marks: Iterable[_Mark]) -> None:
        self._marks = sorted(marks, key=lambda m: (m.start, m.end))
        self._reach = list(itertools.accumulate((m.end for m in self._marks), max))
        """The furthest any mark up to each one reaches: ascending, so bisectable."""

    def touching(self, start: int, end: int) -> Iterator[_Mark]:
        """Marks, in order, that may overlap or sit at the edge of ``[start, end]``."""
        for k in range(bisect.bisect_left(self._reach, start), len(self._marks)):
            mark = self._marks[k]
            if mark.start > end:
                return
            yield mark


def _marked(text: str, start: int, end: int, marks: _Marks) -> str:
    """text[start:end], escaped, with marks inside it; overlapping marks are dropped."""
    out: list[str] = []
    position = start
    for mark in marks.touching(start, end):
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
.v-unrelated { background: #555; } .v-rewritten { background: #7a2a8f; }
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

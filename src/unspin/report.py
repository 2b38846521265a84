"""The terminal report: the evidence, for people.

Programs read the JSON of :mod:`unspin.schema`; the HTML report is :mod:`unspin.html`.
"""

from __future__ import annotations

import bisect

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text as RichText

from unspin.model import COPY_VERDICTS, CheckResult, Edit, Match, RetoldSentences, SentencePair

EDIT_STYLES: dict[str, str] = {
    "verbatim": "",
    "synonym": "bold yellow",
    "inflection": "bold cyan",
    "other": "bold magenta",
    "insertion": "green",
    "deletion": "red strike",
    "moved": "blue",
    "quote": "italic underline",
    "fact_changed": "bold red",
    "added": "green italic",
}
VERDICT_STYLES: dict[str, str] = {
    "verbatim": "bold white on red",
    "spun": "bold white on dark_orange3",
    "rewritten": "bold white on purple4",
    "partial": "bold black on yellow",
    "independent": "bold white on blue",
    "unrelated": "bold white on grey42",
}
_LONG_DELETION = 12
_SHOWN_IDS = 3
_SHOWN_QUOTES = 3
_QUOTE_CHARS = 60
_QUOTE_MARKS = "\"'“”‘’«»„‚"
_ELLIPSIS = " … "


# --- the terminal report ---------------------------------------------------------------------


def plain(text: str, style: str = "") -> RichText:
    """User text (a path, an id, a title, a message naming them) for the terminal: shown as
    written, never read as markup ("crawl[/x].txt" is a file name, not a closing tag).

    Every line that shows user text goes through here, or through a rich Text built from it.
    """
    return RichText(text, style)


def render_result(result: CheckResult, *, max_matches: int = 3) -> RenderableType:
    """A terminal report: verdict, the sources and why each was found, and the marked copy."""
    header = RichText.assemble(
        (f" {result.verdict.upper()} ", VERDICT_STYLES[result.verdict]),
        "  ",
        (result.query.id, "bold"),
        f"  ({len(result.query.text):,} characters)",
    )
    parts: list[RenderableType] = []
    if result.unsupported_language:
        parts.append(RichText(unsupported_language_note(result.language), "bold yellow"))
    if not result.matches:
        parts.append(RichText("No source found in the index."))
    else:
        parts.append(_sources_table(result.matches))
        parts.append(RichText(""))
        parts.extend(_why(match) for match in result.matches)
        for match in result.matches[:max_matches]:
            if match.verdict == "rewritten":
                parts.append(RichText(f"\nCopy against {match.source_id}:", style="bold"))
                parts.append(render_retold(result.query.text, match))
            elif match.verdict in COPY_VERDICTS:
                parts.append(RichText(f"\nCopy against {match.source_id}:", style="bold"))
                parts.append(render_copy(result.query.text, match))
        parts.append(legend())
    return Panel(
        Group(*parts),
        title=header,
        title_align="left",
        subtitle=RichText(provenance_line(result), "dim"),
        subtitle_align="right",
    )


def unsupported_language_note(language: str | None) -> str:
    named = f"({language}) " if language else ""
    return (
        f"The language of this text {named}is not supported: unspin cannot trace it, "
        "so finding no source means nothing here."
    )


def provenance_line(result: CheckResult) -> str:
    """Which unspin and which index answered, in a few words."""
    provenance = result.provenance
    if provenance is None:
        return "provenance unknown"
    return (
        f"unspin {provenance.version} · index {provenance.index_id[:8]} "
        f"({provenance.index_documents:,} documents)"
    )


def _sources_table(matches: list[Match]) -> Table:
    sources = Table(box=None, pad_edge=False, show_edge=False)
    sources.add_column("source", no_wrap=True)
    for column in ("verdict", "score", "coverage", "spin rate"):
        sources.add_column(column, no_wrap=True)
    with_urls = any(m.source.url for m in matches)
    if with_urls:
        sources.add_column("url", overflow="fold")
    for match in matches:
        row: list[RenderableType] = [
            plain(match.source_id),
            RichText(match.verdict, VERDICT_STYLES[match.verdict]),
            f"{match.score:.2f}",
            f"{match.coverage:.0%}",
            f"{match.spin_rate:.0%}",
        ]
        if with_urls:
            row.append(plain(match.source.url or ""))
        sources.add_row(*row)
    return sources


def _why(match: Match) -> RichText:
    """Why a source was retrieved, its syndicated copies and, for a retelling, its quotes."""
    out = RichText(f"{match.source_id}: ", "dim")
    out.append(retrieval_reason(match), "dim")
    also_in = also_in_note(match)
    if also_in:
        out.append(f"; {also_in}", "dim")
    if match.verdict == "independent":
        quotes = shared_quotes(match)
        out.append("; shared quotes: " if quotes else "; no shared quote", "dim")
        for number, quote in enumerate(quotes[:_SHOWN_QUOTES]):
            out.append(", " if number else "", "dim")
            out.append(f"“{quote}”", EDIT_STYLES["quote"])
        if len(quotes) > _SHOWN_QUOTES:
            out.append(f" and {len(quotes) - _SHOWN_QUOTES} more", "dim")
    return out


def retrieval_reason(match: Match) -> str:
    retrieval = match.retrieval
    if retrieval is None:
        return "retrieval evidence unknown"
    return (
        f"retrieved at rank {retrieval.rank} by {retrieval.shared_fingerprints:,} shared "
        f"fingerprints (rarity {retrieval.rarity:,.1f})"
    )


def also_in_note(match: Match) -> str:
    """For a syndicated source "also in N other documents: a, b, c", else ""."""
    editions = match.also_in
    if editions is None or editions.count == 0:
        return ""
    noun = "document" if editions.count == 1 else "documents"
    shown = ", ".join(editions.ids[:_SHOWN_IDS])
    more = ", ..." if editions.count > min(len(editions.ids), _SHOWN_IDS) else ""
    return f"also in {editions.count:,} other {noun}: {shown}{more}"


def shared_quotes(match: Match) -> list[str]:
    """The quotes copy and source share, as the copy gives them (clipped), in copy order."""
    quotes = []
    for edit in sorted(match.edits, key=lambda e: e.copy_start):
        if edit.type == "quote":
            words = " ".join(edit.copy_text.split()).strip(_QUOTE_MARKS + " ")
            clipped = words[: _QUOTE_CHARS - 1] + "…" if len(words) > _QUOTE_CHARS else words
            quotes.append(clipped)
    return quotes


def render_copy(copy_text: str, match: Match) -> RichText:
    """The copy's sentences taken from the match's source, each edit styled, with the
    source's words after every swap; "…" stands for the copy's other sentences.

    A match without sentence pairs (read from JSON of schema 1) shows the whole copy.
    """
    edits = sorted(match.edits, key=lambda e: (e.copy_start, e.copy_end))
    starts = [e.copy_start for e in edits]
    out = RichText()
    spans = copied_spans(copy_text, match.pairs) or [(0, len(copy_text))]
    for number, (start, end) in enumerate(spans):
        if number or copy_text[:start].strip():
            out.append(_ELLIPSIS, "dim")
        first = bisect.bisect_left(starts, start)
        _append_marked(out, copy_text, start, end, edits[first : bisect.bisect_right(starts, end)])
    if copy_text[spans[-1][1] :].strip():
        out.append(_ELLIPSIS, "dim")
    return out


def render_retold(copy_text: str, match: Match) -> RichText:
    """A rewritten copy sentence against sentence: each copy sentence (or two) with its
    word edits styled, then the source sentence(s) it retells and their similarity;
    sentences the copy added in green; then the copy's facts absent from the source."""
    edits = sorted(match.edits, key=lambda e: (e.copy_start, e.copy_end))
    starts = [e.copy_start for e in edits]
    rows: list[tuple[int, RetoldSentences | Edit]] = [(s.copy_start, s) for s in match.sentences]
    rows += [(e.copy_start, e) for e in edits if e.type == "added"]
    out = RichText()
    for _, row in sorted(rows, key=lambda item: item[0]):
        if isinstance(row, Edit):
            out.append("+ ", "green")
            out.append(row.copy_text + "\n", EDIT_STYLES["added"])
            continue
        out.append(f"{row.similarity:.2f} ", "bold")
        first = bisect.bisect_left(starts, row.copy_start)
        inside = edits[first : bisect.bisect_right(starts, row.copy_end)]
        _append_marked(out, copy_text, row.copy_start, row.copy_end, inside)
        source = " ".join(match.source.text[row.source_start : row.source_end].split())
        out.append(f"\n     <- {source}\n", "dim")
    out.append(new_facts_note(match), "bold" if match.new_facts else "dim")
    return out


def new_facts_note(match: Match) -> str:
    """The copy's names and numbers that the source lacks, in a line."""
    if not match.new_facts:
        return "No name or number in the copy is missing from the source."
    facts = list(dict.fromkeys(f.text for f in match.new_facts))
    return "In the copy but not in the source: " + ", ".join(facts)


def copied_spans(copy_text: str, pairs: list[SentencePair]) -> list[tuple[int, int]]:
    """The stretches of the copy made of sentences from the source, neighbours joined."""
    spans: list[tuple[int, int]] = []
    for pair in sorted(pairs, key=lambda p: p.copy_start):
        if spans and not copy_text[spans[-1][1] : pair.copy_start].strip():
            spans[-1] = (spans[-1][0], max(spans[-1][1], pair.copy_end))
        else:
            spans.append((pair.copy_start, pair.copy_end))
    return spans


def _append_marked(out: RichText, copy_text: str, start: int, end: int, edits: list[Edit]) -> None:
    """copy_text[start:end] onto ``out``, the edits in it (sorted) styled."""
    position = start
    for edit in edits:
        if edit.copy_start < position or edit.copy_end > end:
            continue
        out.append(copy_text[position : edit.copy_start])
        if edit.type == "deletion":
            if edit.source_words <= _LONG_DELETION:
                out.append(f"[-{edit.source_text}-]", EDIT_STYLES["deletion"])
            else:
                out.append(f"[-{edit.source_words} source words not copied-]", "red")
            position = edit.copy_start
            continue
        out.append(copy_text[edit.copy_start : edit.copy_end], EDIT_STYLES[edit.type])
        if edit.type in ("synonym", "inflection", "other"):
            out.append(
                f" [{edit.source_text}]", "dim " + EDIT_STYLES[edit.type].replace("bold ", "")
            )
        position = edit.copy_end
    out.append(copy_text[position:end])


def legend() -> RichText:
    out = RichText("\n")
    for name, style in EDIT_STYLES.items():
        if name != "verbatim":
            out.append(f" {name} ", style or "default")
            out.append(" ")
    out.append(" [original words in brackets; quotes shared with the source never count]", "dim")
    return out

"""Reports: the evidence, for people (terminal) and for programs (JSON).

The JSON schema, one object per suspect::

    {"query": {"id", "chars"}, "verdict",
     "matches": [{"source_id", "source_url", "source_title", "source_site",
                  "source_published", "verdict", "score", "coverage",
                  "source_coverage", "spin_rate",
                  "edits": [{"type", "copy_start", "copy_end", "source_start",
                             "source_end", "copy_text", "source_text"}]}]}

Offsets are character offsets into the texts as given (Python string
indexes, i.e. Unicode code points).
"""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text as RichText

from unspin.model import CheckResult, Edit, Match

EDIT_STYLES: dict[str, str] = {
    "verbatim": "",
    "synonym": "bold yellow",
    "inflection": "bold cyan",
    "other": "bold magenta",
    "insertion": "green",
    "deletion": "red strike",
    "moved": "blue",
}
VERDICT_STYLES: dict[str, str] = {
    "verbatim": "bold white on red",
    "spun": "bold white on dark_orange3",
    "partial": "bold black on yellow",
    "independent": "bold white on blue",
    "unrelated": "bold white on grey42",
}
_LONG_DELETION = 12


def edit_to_json(edit: Edit) -> dict[str, Any]:
    return {
        "type": edit.type,
        "copy_start": edit.copy_start,
        "copy_end": edit.copy_end,
        "source_start": edit.source_start,
        "source_end": edit.source_end,
        "copy_text": edit.copy_text,
        "source_text": edit.source_text,
    }


def match_to_json(match: Match) -> dict[str, Any]:
    source = match.source
    return {
        "source_id": source.id,
        "source_url": source.url,
        "source_title": source.title,
        "source_site": source.site,
        "source_published": source.published,
        "verdict": match.verdict,
        "score": match.score,
        "coverage": match.coverage,
        "source_coverage": match.source_coverage,
        "spin_rate": match.spin_rate,
        "edits": [edit_to_json(e) for e in match.edits],
    }


def result_to_json(result: CheckResult) -> dict[str, Any]:
    """The ``check --json`` object for one suspect."""
    return {
        "query": {"id": result.query.id, "chars": len(result.query.text)},
        "verdict": result.verdict,
        "matches": [match_to_json(m) for m in result.matches],
    }


def render_result(result: CheckResult, *, max_matches: int = 3) -> RenderableType:
    """A terminal report: verdict, the sources, and the copy with every swap marked."""
    header = RichText.assemble(
        (f" {result.verdict.upper()} ", VERDICT_STYLES[result.verdict]),
        "  ",
        (result.query.id, "bold"),
        f"  ({len(result.query.text):,} characters)",
    )
    if not result.matches:
        return Panel(RichText("No source found in the index."), title=header, title_align="left")
    sources = Table(box=None, pad_edge=False, show_edge=False)
    sources.add_column("source", no_wrap=True)
    for column in ("verdict", "score", "coverage", "spin rate"):
        sources.add_column(column, no_wrap=True)
    with_urls = any(m.source.url for m in result.matches)
    if with_urls:
        sources.add_column("url", overflow="fold")
    for match in result.matches:
        row: list[RenderableType] = [
            match.source_id,
            RichText(match.verdict, VERDICT_STYLES[match.verdict]),
            f"{match.score:.2f}",
            f"{match.coverage:.0%}",
            f"{match.spin_rate:.0%}",
        ]
        if with_urls:
            row.append(match.source.url or "")
        sources.add_row(*row)
    parts: list[RenderableType] = [sources]
    for match in result.matches[:max_matches]:
        if match.verdict in ("verbatim", "spun", "partial"):
            parts.append(RichText(f"\nCopy against {match.source_id}:", style="bold"))
            parts.append(render_copy(result.query.text, match.edits))
    parts.append(legend())
    return Panel(Group(*parts), title=header, title_align="left")


def render_copy(copy_text: str, edits: list[Edit]) -> RichText:
    """The copy's text, each edit styled, with the source's words after every swap."""
    out = RichText()
    position = 0
    for edit in sorted(edits, key=lambda e: (e.copy_start, e.copy_end)):
        if edit.copy_start < position:
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
    out.append(copy_text[position:])
    return out


def legend() -> RichText:
    out = RichText("\n")
    for name, style in EDIT_STYLES.items():
        if name != "verbatim":
            out.append(f" {name} ", style or "default")
            out.append(" ")
    out.append(" [original words in brackets]", "dim")
    return out

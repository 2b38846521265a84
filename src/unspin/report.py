"""Reports: the evidence, for people (terminal) and for programs (JSON).

The JSON schema, one object per suspect::

    {"query": {"id", "chars"}, "verdict", "language", "unsupported_language",
     "matches": [{"source_id", "source_url", "source_title", "source_site",
                  "source_published", "verdict", "score", "coverage",
                  "source_coverage", "spin_rate",
                  "retrieval": {"rank", "shared_fingerprints", "rarity"} | null,
                  "also_in": {"count", "ids"} | null,
                  "passages": [{"copy_start", "copy_end", "source_start",
                                "source_end", "sentences", "words"}],
                  "edits": [{"type", "copy_start", "copy_end", "source_start",
                             "source_end", "copy_text", "source_text"}]}],
     "unspin": {"version", "index": {"id", "documents", "schema"}, "settings"} | null}

Offsets are character offsets into the texts as given (Python string
indexes, i.e. Unicode code points). Every key is always present (``null``
when unknown), so rows of a scan line up; :func:`result_to_line` is the one
serialization, byte for byte the same for the same result.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text as RichText

from unspin.model import (
    COPY_VERDICTS,
    CheckResult,
    Document,
    Edit,
    Editions,
    Match,
    Passage,
    Provenance,
    Retrieval,
)

EDIT_STYLES: dict[str, str] = {
    "verbatim": "",
    "synonym": "bold yellow",
    "inflection": "bold cyan",
    "other": "bold magenta",
    "insertion": "green",
    "deletion": "red strike",
    "moved": "blue",
    "quote": "italic underline",
}
VERDICT_STYLES: dict[str, str] = {
    "verbatim": "bold white on red",
    "spun": "bold white on dark_orange3",
    "partial": "bold black on yellow",
    "independent": "bold white on blue",
    "unrelated": "bold white on grey42",
}
_LONG_DELETION = 12
_SHOWN_IDS = 3
_SHOWN_QUOTES = 3
_QUOTE_CHARS = 60
_QUOTE_MARKS = "\"'“”‘’«»„‚"
_WORD = re.compile(r"\w+")


# --- JSON ------------------------------------------------------------------------------------


def provenance_to_json(provenance: Provenance | None) -> dict[str, Any] | None:
    if provenance is None:
        return None
    return {
        "version": provenance.version,
        "index": {
            "id": provenance.index_id,
            "documents": provenance.index_documents,
            "schema": provenance.index_schema,
        },
        # Sorted: the bytes must not depend on the order the settings were gathered in.
        "settings": dict(sorted(provenance.settings.items())),
    }


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


def passage_to_json(passage: Passage) -> dict[str, int]:
    return {
        "copy_start": passage.copy_start,
        "copy_end": passage.copy_end,
        "source_start": passage.source_start,
        "source_end": passage.source_end,
        "sentences": passage.sentences,
        "words": passage.words,
    }


def match_to_json(match: Match) -> dict[str, Any]:
    source = match.source
    retrieval = match.retrieval
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
        "retrieval": None
        if retrieval is None
        else {
            "rank": retrieval.rank,
            "shared_fingerprints": retrieval.shared_fingerprints,
            "rarity": retrieval.rarity,
        },
        "also_in": None
        if match.also_in is None
        else {"count": match.also_in.count, "ids": list(match.also_in.ids)},
        "passages": [passage_to_json(p) for p in match.passages],
        "edits": [edit_to_json(e) for e in match.edits],
    }


def result_to_json(result: CheckResult) -> dict[str, Any]:
    """The ``check --json`` object for one suspect."""
    return {
        "query": {"id": result.query.id, "chars": len(result.query.text)},
        "verdict": result.verdict,
        "language": result.language,
        "unsupported_language": result.unsupported_language,
        "matches": [match_to_json(m) for m in result.matches],
        "unspin": provenance_to_json(result.provenance),
    }


def result_to_line(result: CheckResult) -> str:
    """One ``check --json`` line (no newline): what the CLI prints and a scan stores."""
    return json.dumps(result_to_json(result), ensure_ascii=False)


def result_from_json(
    data: Mapping[str, Any], query: Document, sources: Mapping[str, Document]
) -> CheckResult:
    """A ``check --json`` object back as a CheckResult, given the texts it points into.

    Edit texts are cut from ``query.text`` and the sources' texts again; matches
    whose source is not in ``sources`` are left out. Objects written by older
    versions lack some keys: those get neutral defaults rather than an error.
    """
    matches = []
    for item in data.get("matches", []):
        source = sources.get(item["source_id"])
        if source is not None:
            matches.append(_match_from_json(item, query.text, source))
    return CheckResult(
        query,
        matches,
        provenance=_provenance_from_json(data.get("unspin")),
        language=data.get("language"),
        unsupported_language=bool(data.get("unsupported_language", False)),
    )


def _match_from_json(item: Mapping[str, Any], copy_text: str, source: Document) -> Match:
    retrieval = item.get("retrieval")
    also_in = item.get("also_in")
    return Match(
        source,
        item["verdict"],
        item["score"],
        item["coverage"],
        item.get("source_coverage", 0.0),
        item["spin_rate"],
        [_edit_from_json(e, copy_text, source.text) for e in item.get("edits", [])],
        [
            Passage(
                p["copy_start"],
                p["copy_end"],
                p["source_start"],
                p["source_end"],
                p["sentences"],
                p["words"],
            )
            for p in item.get("passages", [])
        ],
        None
        if retrieval is None
        else Retrieval(retrieval["rank"], retrieval["shared_fingerprints"], retrieval["rarity"]),
        None if also_in is None else Editions(also_in["count"], tuple(also_in["ids"])),
    )


def _edit_from_json(item: Mapping[str, Any], copy_text: str, source_text: str) -> Edit:
    copy_words = copy_text[item["copy_start"] : item["copy_end"]]
    source_words = source_text[item["source_start"] : item["source_end"]]
    return Edit(
        item["type"],
        item["copy_start"],
        item["copy_end"],
        item["source_start"],
        item["source_end"],
        copy_words,
        source_words,
        item.get("copy_words", len(_WORD.findall(copy_words))),
        item.get("source_words", len(_WORD.findall(source_words))),
    )


def _provenance_from_json(data: Mapping[str, Any] | None) -> Provenance | None:
    if data is None:
        return None
    index = data["index"]
    return Provenance(
        data["version"], index["id"], index["documents"], index["schema"], dict(data["settings"])
    )


# --- the terminal report ---------------------------------------------------------------------


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
            if match.verdict in COPY_VERDICTS:
                parts.append(RichText(f"\nCopy against {match.source_id}:", style="bold"))
                parts.append(render_copy(result.query.text, match.edits))
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
            match.source_id,
            RichText(match.verdict, VERDICT_STYLES[match.verdict]),
            f"{match.score:.2f}",
            f"{match.coverage:.0%}",
            f"{match.spin_rate:.0%}",
        ]
        if with_urls:
            row.append(match.source.url or "")
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
    out.append(" [original words in brackets; quotes shared with the source never count]", "dim")
    return out

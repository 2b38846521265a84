"""The one result schema: check and detection results as JSON objects, and back.

Everything a program reads from unspin goes through here: ``unspin check
--json`` and ``unspin detect --json`` lines, the HTTP API, the web app's
stored checks and scan outputs. Each object names the schema version that
wrote it::

    check:     {"schema", "query", "verdict", "language", "unsupported_language",
                "matches": [{"source_id", "source_url", "source_title", "source_site",
                             "source_published", "verdict", "score", "coverage",
                             "source_coverage", "spin_rate",
                             "retrieval": {"rank", "shared_fingerprints", "rarity"} | null,
                             "also_in": {"count", "ids"} | null,
                             "passages": [{"copy_start", "copy_end", "source_start",
                                           "source_end", "sentences", "words"}],
                             "pairs": [{"copy_start", "copy_end", "source_start",
                                        "source_end", "derived"}],
                             "edits": [{"type", "copy_start", "copy_end", "source_start",
                                        "source_end", "copy_text", "source_text",
                                        "copy_words", "source_words"}],
                             "sentences": [{"copy_start", "copy_end", "source_start",
                                            "source_end", "similarity"}],
                             "new_facts": [{"copy_start", "copy_end", "text"}]}],
                "unspin": {"version", "index": {"id", "documents", "schema"},
                           "settings"} | null}
    detection: {"schema", "query", "verdict", "spin_score", "words",
                "flags": [{"start", "end", "text", "score", "suggestions", "evidence"}],
                "passages": [{"start", "end", "spin_score"}]}
    query:     {"id", "chars", "url", "title", "site", "published"}

Offsets are character offsets into the texts as given (Python string
indexes, i.e. Unicode code points). Every key is always present (``null``
when unknown), so rows of a scan line up. Scores and shares are rounded to
:data:`DECIMALS` places here and nowhere else: the model keeps full floats.
:func:`to_line` is the one serialization, byte for byte the same for the same
result in any process.

Versions, and what reading an older one fills in:

1. No ``"schema"`` key (unspin 0.1 and the web app's first stored checks).
   Missing keys read as: ``source_coverage`` 0.0; ``passages`` and ``pairs``
   empty; ``retrieval``, ``also_in``, ``unspin`` and ``language`` null;
   ``unsupported_language`` false; an edit's ``copy_words`` and
   ``source_words`` counted as runs of word characters in its texts; the
   query's metadata from the query given. Detections of version 1 came in
   two layouts, the CLI's (``id``, ``site`` and ``chars`` at the top) and
   the HTTP API's (``query``); both are read.
2. ``"schema": 2``. Missing keys read as: ``sentences`` and ``new_facts`` empty.
3. ``"schema": 3``: the layout above. A match's ``sentences`` are the copy
   sentences that retell source sentences, paired by meaning (one side may
   hold two sentences), with their ``similarity``; ``new_facts`` are the
   copy's names and numbers that the source lacks. Both are filled for
   ``rewritten`` matches, and a verdict may be ``rewritten``; edits may be
   ``fact_changed`` or ``added``.

A newer version than :data:`RESULT_SCHEMA` is refused with
:class:`SchemaError`, and so is an object that lacks a required key. The
per-type functions (``edit_from_dict`` ...) are the building blocks of the
two readers, :func:`check_result_from_dict` and :func:`detection_from_dict`:
only these check versions and turn a malformed object into a SchemaError.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from unspin.errors import UnspinError
from unspin.model import (
    CheckResult,
    Detection,
    Document,
    Edit,
    Editions,
    Fact,
    Flag,
    Match,
    Passage,
    Provenance,
    RetoldSentences,
    Retrieval,
    SentencePair,
    SpunPassage,
)

__all__ = [
    "DECIMALS",
    "RESULT_SCHEMA",
    "SchemaError",
    "check_result_from_dict",
    "check_result_to_dict",
    "detection_from_dict",
    "detection_to_dict",
    "document_from_dict",
    "document_to_dict",
    "edit_from_dict",
    "edit_to_dict",
    "editions_from_dict",
    "editions_to_dict",
    "fact_from_dict",
    "fact_to_dict",
    "flag_from_dict",
    "flag_to_dict",
    "match_from_dict",
    "match_to_dict",
    "pair_from_dict",
    "pair_to_dict",
    "passage_from_dict",
    "passage_to_dict",
    "provenance_from_dict",
    "provenance_to_dict",
    "retold_from_dict",
    "retold_to_dict",
    "retrieval_from_dict",
    "retrieval_to_dict",
    "spun_passage_from_dict",
    "spun_passage_to_dict",
    "to_line",
]

RESULT_SCHEMA = 3
"""The version this unspin writes, and the newest it reads."""
DECIMALS = 4
"""Places that scores, shares and rarities keep in JSON."""

_WORD = re.compile(r"\w+")
_T = TypeVar("_T")


class SchemaError(UnspinError):
    """A result object this unspin cannot read: from a newer version, or malformed."""


def to_line(result: CheckResult | Detection) -> str:
    """One JSON line (no newline): what the CLI prints, the API answers and a scan stores."""
    data = (
        detection_to_dict(result) if isinstance(result, Detection) else check_result_to_dict(result)
    )
    return json.dumps(data, ensure_ascii=False)


def _rounded(value: float) -> float:
    return round(value, DECIMALS)


# --- check results ---------------------------------------------------------------------------


def check_result_to_dict(result: CheckResult) -> dict[str, Any]:
    return {
        "schema": RESULT_SCHEMA,
        "query": document_to_dict(result.query),
        "verdict": result.verdict,
        "language": result.language,
        "unsupported_language": result.unsupported_language,
        "matches": [match_to_dict(m) for m in result.matches],
        "unspin": None if result.provenance is None else provenance_to_dict(result.provenance),
    }


def check_result_from_dict(
    data: Mapping[str, Any], query: Document, sources: Mapping[str, Document]
) -> CheckResult:
    """A check result back, given the texts it points into.

    The JSON holds offsets, not the texts: ``query`` is the suspect and
    ``sources`` the archived sources by id. Matches whose source is not in
    ``sources`` are left out.
    """

    def read() -> CheckResult:
        provenance = data.get("unspin")
        return CheckResult(
            query,
            [
                match_from_dict(item, query.text, sources[item["source_id"]])
                for item in data.get("matches", [])
                if item["source_id"] in sources
            ],
            provenance=None if provenance is None else provenance_from_dict(provenance),
            language=data.get("language"),
            unsupported_language=bool(data.get("unsupported_language", False)),
        )

    return _reading("check result", data, read)


def match_to_dict(match: Match) -> dict[str, Any]:
    source = match.source
    return {
        "source_id": source.id,
        "source_url": source.url,
        "source_title": source.title,
        "source_site": source.site,
        "source_published": source.published,
        "verdict": match.verdict,
        "score": _rounded(match.score),
        "coverage": _rounded(match.coverage),
        "source_coverage": _rounded(match.source_coverage),
        "spin_rate": _rounded(match.spin_rate),
        "retrieval": None if match.retrieval is None else retrieval_to_dict(match.retrieval),
        "also_in": None if match.also_in is None else editions_to_dict(match.also_in),
        "passages": [passage_to_dict(p) for p in match.passages],
        "pairs": [pair_to_dict(p) for p in match.pairs],
        "edits": [edit_to_dict(e) for e in match.edits],
        "sentences": [retold_to_dict(s) for s in match.sentences],
        "new_facts": [fact_to_dict(f) for f in match.new_facts],
    }


def match_from_dict(data: Mapping[str, Any], copy_text: str, source: Document) -> Match:
    """A match back; ``source`` is the archived document that ``data["source_id"]`` names."""
    retrieval, also_in = data.get("retrieval"), data.get("also_in")
    return Match(
        source,
        data["verdict"],
        float(data["score"]),
        float(data["coverage"]),
        float(data.get("source_coverage", 0.0)),
        float(data["spin_rate"]),
        [edit_from_dict(e, copy_text, source.text) for e in data.get("edits", [])],
        [passage_from_dict(p) for p in data.get("passages", [])],
        [pair_from_dict(p) for p in data.get("pairs", [])],
        None if retrieval is None else retrieval_from_dict(retrieval),
        None if also_in is None else editions_from_dict(also_in),
        [retold_from_dict(s) for s in data.get("sentences", [])],
        [fact_from_dict(f, copy_text) for f in data.get("new_facts", [])],
    )


def retold_to_dict(retold: RetoldSentences) -> dict[str, Any]:
    return {**_spans_to_dict(retold), "similarity": _rounded(retold.similarity)}


def retold_from_dict(data: Mapping[str, Any]) -> RetoldSentences:
    return RetoldSentences(*_spans_from_dict(data), float(data["similarity"]))


def fact_to_dict(fact: Fact) -> dict[str, Any]:
    return {"copy_start": fact.start, "copy_end": fact.end, "text": fact.text}


def fact_from_dict(data: Mapping[str, Any], copy_text: str) -> Fact:
    """A new fact back; its words are cut from the copy, as an edit's are."""
    return Fact(
        data["copy_start"], data["copy_end"], copy_text[data["copy_start"] : data["copy_end"]]
    )


def edit_to_dict(edit: Edit) -> dict[str, Any]:
    return {
        "type": edit.type,
        "copy_start": edit.copy_start,
        "copy_end": edit.copy_end,
        "source_start": edit.source_start,
        "source_end": edit.source_end,
        "copy_text": edit.copy_text,
        "source_text": edit.source_text,
        "copy_words": edit.copy_words,
        "source_words": edit.source_words,
    }


def edit_from_dict(data: Mapping[str, Any], copy_text: str, source_text: str) -> Edit:
    """An edit back; its words are cut from the two texts (older objects did not hold them)."""
    copy_words = copy_text[data["copy_start"] : data["copy_end"]]
    source_words = source_text[data["source_start"] : data["source_end"]]
    return Edit(
        data["type"],
        data["copy_start"],
        data["copy_end"],
        data["source_start"],
        data["source_end"],
        copy_words,
        source_words,
        _count(data, "copy_words", copy_words),
        _count(data, "source_words", source_words),
    )


def _count(data: Mapping[str, Any], key: str, words: str) -> int:
    """A stored word count, counted only when missing (by far the slower way)."""
    stored = data.get(key)
    return len(_WORD.findall(words)) if stored is None else int(stored)


def passage_to_dict(passage: Passage) -> dict[str, int]:
    return {
        "copy_start": passage.copy_start,
        "copy_end": passage.copy_end,
        "source_start": passage.source_start,
        "source_end": passage.source_end,
        "sentences": passage.sentences,
        "words": passage.words,
    }


def passage_from_dict(data: Mapping[str, Any]) -> Passage:
    return Passage(
        data["copy_start"],
        data["copy_end"],
        data["source_start"],
        data["source_end"],
        data["sentences"],
        data["words"],
    )


def pair_to_dict(pair: SentencePair) -> dict[str, Any]:
    return {**_spans_to_dict(pair), "derived": _rounded(pair.derived)}


def pair_from_dict(data: Mapping[str, Any]) -> SentencePair:
    return SentencePair(*_spans_from_dict(data), float(data["derived"]))


def _spans_to_dict(pair: SentencePair | RetoldSentences) -> dict[str, Any]:
    """The offsets of sentences paired across copy and source."""
    return {
        "copy_start": pair.copy_start,
        "copy_end": pair.copy_end,
        "source_start": pair.source_start,
        "source_end": pair.source_end,
    }


def _spans_from_dict(data: Mapping[str, Any]) -> tuple[int, int, int, int]:
    return data["copy_start"], data["copy_end"], data["source_start"], data["source_end"]


def retrieval_to_dict(retrieval: Retrieval) -> dict[str, Any]:
    return {
        "rank": retrieval.rank,
        "shared_fingerprints": retrieval.shared_fingerprints,
        "rarity": _rounded(retrieval.rarity),
    }


def retrieval_from_dict(data: Mapping[str, Any]) -> Retrieval:
    return Retrieval(data["rank"], data["shared_fingerprints"], float(data["rarity"]))


def editions_to_dict(editions: Editions) -> dict[str, Any]:
    return {"count": editions.count, "ids": list(editions.ids)}


def editions_from_dict(data: Mapping[str, Any]) -> Editions:
    return Editions(data["count"], tuple(data["ids"]))


def provenance_to_dict(provenance: Provenance) -> dict[str, Any]:
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


def provenance_from_dict(data: Mapping[str, Any]) -> Provenance:
    index = data["index"]
    return Provenance(
        data["version"], index["id"], index["documents"], index["schema"], dict(data["settings"])
    )


def document_to_dict(document: Document) -> dict[str, Any]:
    """A document's identity and metadata; the text is not repeated, only its length."""
    return {
        "id": document.id,
        "chars": len(document.text),
        "url": document.url,
        "title": document.title,
        "site": document.site,
        "published": document.published,
    }


def document_from_dict(data: Mapping[str, Any], text: str) -> Document:
    """A document back, given its text."""
    return Document(
        data["id"],
        text,
        data.get("url"),
        data.get("title"),
        data.get("site"),
        data.get("published"),
    )


# --- detections ------------------------------------------------------------------------------


def detection_to_dict(detection: Detection) -> dict[str, Any]:
    query = document_to_dict(Document("", detection.text, site=detection.site))
    query["id"] = detection.id  # a text judged without an id (``detect("...")``) has none
    return {
        "schema": RESULT_SCHEMA,
        "query": query,
        "verdict": detection.verdict,
        "spin_score": _rounded(detection.spin_score),
        "words": detection.words,
        "flags": [flag_to_dict(f) for f in detection.flags],
        "passages": [spun_passage_to_dict(p) for p in detection.passages],
    }


def detection_from_dict(data: Mapping[str, Any], text: str) -> Detection:
    """A detection back, given the text it was made of."""

    def read() -> Detection:
        # Version 1 from the CLI kept the query's fields at the top level.
        query = data.get("query", data)
        return Detection(
            text,
            float(data["spin_score"]),
            data["verdict"],
            tuple(flag_from_dict(f) for f in data["flags"]),
            int(data.get("words", 0)),
            query.get("id"),
            query.get("site"),
            tuple(spun_passage_from_dict(p) for p in data.get("passages", ())),
        )

    return _reading("detection", data, read)


def flag_to_dict(flag: Flag) -> dict[str, Any]:
    return {
        "start": flag.start,
        "end": flag.end,
        "text": flag.text,
        "score": _rounded(flag.score),
        "suggestions": list(flag.suggestions),
        "evidence": list(flag.evidence),
    }


def flag_from_dict(data: Mapping[str, Any]) -> Flag:
    return Flag(
        data["start"],
        data["end"],
        data["text"],
        float(data["score"]),
        tuple(data["suggestions"]),
        tuple(data.get("evidence", ())),
    )


def spun_passage_to_dict(passage: SpunPassage) -> dict[str, Any]:
    return {"start": passage.start, "end": passage.end, "spin_score": _rounded(passage.spin_score)}


def spun_passage_from_dict(data: Mapping[str, Any]) -> SpunPassage:
    return SpunPassage(int(data["start"]), int(data["end"]), float(data["spin_score"]))


# --- versions and errors ---------------------------------------------------------------------


def _reading(what: str, data: Mapping[str, Any], read: Callable[[], _T]) -> _T:
    """``read()``, after checking the version; a missing key or bad value is a SchemaError."""
    version = data.get("schema", 1) if isinstance(data, Mapping) else None
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise SchemaError(f"not a {what}: its schema version is {version!r}")
    if version > RESULT_SCHEMA:
        raise SchemaError(
            f"this {what} was written with result schema {version}, newer than this "
            f"unspin reads (up to {RESULT_SCHEMA}): upgrade unspin"
        )
    try:
        return read()
    except KeyError as error:
        raise SchemaError(f"not a {what} of schema {version}: missing key {error}") from None
    except (TypeError, ValueError, AttributeError) as error:
        raise SchemaError(f"not a {what} of schema {version}: {error}") from None

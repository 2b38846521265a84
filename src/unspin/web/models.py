"""The JSON bodies of the HTTP API, as pydantic models: what ``/api/openapi.json`` promises.

The handlers answer with the objects of :mod:`unspin.schema` (the same bytes
as ``unspin check --json``); these models describe them for the OpenAPI
schema, and the tests validate real answers against them, so the schema
cannot drift from what the server sends. ``extra="forbid"`` makes a field the
models do not know a test failure, not a silent gap in the documentation.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorOut(_Strict):
    """Every error of the API: a one-line message and the HTTP status."""

    error: str
    status: int


class QueryOut(_Strict):
    """The checked text's identity: its length, not the text itself."""

    id: str | None
    chars: int
    url: str | None
    title: str | None
    site: str | None
    published: str | None


class EditOut(_Strict):
    type: str = Field(
        description="verbatim, synonym, inflection, other, insertion, deletion, moved or quote"
    )
    copy_start: int
    copy_end: int
    source_start: int
    source_end: int
    copy_text: str
    source_text: str
    copy_words: int
    source_words: int


class PassageOut(_Strict):
    copy_start: int
    copy_end: int
    source_start: int
    source_end: int
    sentences: int
    words: int


class PairOut(_Strict):
    copy_start: int
    copy_end: int
    source_start: int
    source_end: int
    derived: float


class RetoldOut(_Strict):
    """Copy and source sentences that say the same in other words (alignment by meaning)."""

    copy_start: int
    copy_end: int
    source_start: int
    source_end: int
    similarity: float


class FactOut(_Strict):
    """A fact of the copy that its source does not have."""

    copy_start: int
    copy_end: int
    text: str


class RetrievalOut(_Strict):
    rank: int
    shared_fingerprints: int
    rarity: float


class EditionsOut(_Strict):
    count: int
    ids: list[str]


class MatchOut(_Strict):
    source_id: str
    source_url: str | None
    source_title: str | None
    source_site: str | None
    source_published: str | None
    verdict: str
    score: float
    coverage: float
    source_coverage: float
    spin_rate: float
    retrieval: RetrievalOut | None
    also_in: EditionsOut | None
    passages: list[PassageOut]
    pairs: list[PairOut]
    edits: list[EditOut]
    sentences: list[RetoldOut] = Field(default_factory=list)
    new_facts: list[FactOut] = Field(default_factory=list)


class IndexOut(_Strict):
    id: str
    documents: int
    schema_: int = Field(alias="schema")


class ProvenanceOut(_Strict):
    version: str
    index: IndexOut
    settings: dict[str, str | int | float | bool]


class CheckOut(_Strict):
    """The ``unspin check --json`` object."""

    schema_: int = Field(alias="schema")
    query: QueryOut
    verdict: str
    language: str | None
    unsupported_language: bool
    matches: list[MatchOut]
    unspin: ProvenanceOut | None


class FlagOut(_Strict):
    start: int
    end: int
    text: str
    score: float
    suggestions: list[str]


class DetectionOut(_Strict):
    """The ``unspin detect --json`` object."""

    schema_: int = Field(alias="schema")
    query: QueryOut
    verdict: str
    spin_score: float
    words: int
    flags: list[FlagOut]


class AddedOut(_Strict):
    added: int
    already_present: int
    in_index: int


class KnownCopyOut(_Strict):
    check: str = Field(description="The report page of the check: /checks/{id}")
    checked_at: str
    suspect_id: str
    title: str | None
    url: str | None
    site: str | None
    published: str | None
    verdict: str
    coverage: float
    spin_rate: float


class DocumentOut(_Strict):
    id: str
    url: str | None
    title: str | None
    site: str | None
    published: str | None
    text: str
    copies: list[KnownCopyOut]


class SourceDocumentOut(_Strict):
    source_id: str
    copies: int


class CopiedSiteOut(_Strict):
    source_site: str
    copies: int
    mean_spin_rate: float
    documents: list[SourceDocumentOut]


class SiteOut(_Strict):
    site: str
    copies: int
    sources: list[CopiedSiteOut]


class SpinBinOut(_Strict):
    from_: float = Field(alias="from")
    to: float
    copies: int


class DayOut(_Strict):
    date: str
    copies: int


class SitesOut(_Strict):
    sites: list[SiteOut]
    spin_rate_histogram: list[SpinBinOut]
    timeline: list[DayOut]

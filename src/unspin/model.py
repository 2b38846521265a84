"""The data model that passes between pipeline stages.

Every stage of unspin takes and returns these plain dataclasses. Offsets are
always character offsets into the text *as the user gave it* (before any
normalization), like spaCy's ``Doc``/``Span``: ``text[start:end]`` is the
thing being talked about.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

EditType = Literal[
    "verbatim",
    "synonym",
    "inflection",
    "insertion",
    "deletion",
    "moved",
    "quote",
    "other",
    "fact_changed",
    "added",
]
"""How one stretch of the copy relates to the source.

- ``verbatim``: the same words (after normalization: case, homoglyphs, accents,
  letters lost in encoding).
- ``synonym``: a word or phrase swapped for a synonym (WordNet, a thesaurus, or
  close in word vectors).
- ``inflection``: the same lemma or a derivation (tax -> taxation).
- ``insertion``: words in the copy with no counterpart in the source.
- ``deletion``: source words dropped from the copy.
- ``moved``: verbatim words whose sentence sits elsewhere in the source order.
- ``quote``: words inside quotation marks in both texts (a shared quote is
  journalism, not copying: quotes never count towards a copy verdict).
- ``other``: any other replacement.
- ``fact_changed``: in a rewritten copy, a name or number of the source sentence
  replaced by another one (a date moved, a figure changed, a person renamed).
- ``added``: in a rewritten copy, a whole sentence that retells no source sentence.
"""

Verdict = Literal["verbatim", "spun", "rewritten", "partial", "independent", "unrelated"]
"""How a copy relates to one source (or, at the top level, to its best source).
``rewritten``: the copy retells the source sentence by sentence in other words."""

VERDICT_ORDER: tuple[Verdict, ...] = (
    "verbatim",
    "spun",
    "rewritten",
    "partial",
    "independent",
    "unrelated",
)
COPY_VERDICTS: frozenset[Verdict] = frozenset({"verbatim", "spun", "rewritten", "partial"})
"""Verdicts that say text was reused; the others say it was not."""


@dataclass(frozen=True, slots=True)
class Document:
    """One article: an archive original or a suspect copy.

    ``text`` is the plain text exactly as given (or as extracted from HTML);
    every offset elsewhere points into it.
    """

    id: str
    text: str
    url: str | None = None
    title: str | None = None
    site: str | None = None
    published: str | None = None


def is_storable_text(value: str) -> bool:
    """Whether ``value`` can be written out as UTF-8. A Python string may hold half a
    surrogate pair (a JSON escape such as "\\ud83d", bytes decoded with surrogateescape),
    which is no text: no file, report or SQLite database can store it."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


UNKNOWN_SITE = "(unknown site)"
"""How reports, scan outputs and the web app name the publisher of a document with no
site and no URL host."""


def site_of(document: Document) -> str | None:
    """Who published a document: its site, else its URL's host (less ``www.``), else None."""
    if document.site:
        return document.site
    try:
        host = urlsplit(document.url or "").hostname
    except ValueError:  # a malformed URL, e.g. "http://[oops": crawls hold such records
        return None
    return host.removeprefix("www.") if host else None


@dataclass(slots=True)
class Token:
    """A word of a text, with the normalized form used for matching.

    ``key`` folds away disguises (case, look-alike letters, accents, quotes,
    invisible characters); ``text[start:end]`` is the word as written.
    Not frozen only because a text has many tokens and frozen dataclasses are
    four times slower to create; treat tokens as read-only.
    """

    start: int
    end: int
    key: str
    kind: Literal["word", "number", "name", "function"]
    """``function`` words and ``name``/``number`` tokens are what spinners leave
    alone; ``word`` is every other (content) word."""


@dataclass(frozen=True, slots=True)
class Edit:
    """One labelled stretch of an alignment between a copy and a source.

    ``copy_start``/``copy_end`` index the copy's text and
    ``source_start``/``source_end`` the source's text. An insertion has an
    empty source span (start == end, at the point of insertion); a deletion
    an empty copy span.
    """

    type: EditType
    copy_start: int
    copy_end: int
    source_start: int
    source_end: int
    copy_text: str
    source_text: str
    copy_words: int = 0
    source_words: int = 0


@dataclass(frozen=True, slots=True)
class Passage:
    """A run of copy sentences copied from consecutive source sentences.

    Quoted words are not counted in ``words``: a passage is what the copy
    took of the source's own writing.
    """

    copy_start: int
    copy_end: int
    source_start: int
    source_end: int
    sentences: int
    words: int


@dataclass(frozen=True, slots=True)
class SentencePair:
    """A copy sentence and the source sentence it was derived from.

    The alignment's skeleton, kept so that nobody has to guess it again from
    the edits: ``copy[copy_start:copy_end]`` is the copy's sentence and
    ``source[source_start:source_end]`` the source's, punctuation and quotes
    included. In a copy that lost its sentence ends, the copy "sentence" is
    the piece cut where the source's sentence starts.
    """

    copy_start: int
    copy_end: int
    source_start: int
    source_end: int
    derived: float
    """Share of the copy sentence's words that derive from the source sentence (verbatim,
    swapped for a synonym or another form, or quoted)."""


@dataclass(frozen=True, slots=True)
class RetoldSentences:
    """Copy sentences that retell source sentences, paired by meaning (a rewritten copy).

    One side may hold two sentences (a merge or a split): ``copy[copy_start:copy_end]``
    retells ``source[source_start:source_end]``.
    """

    copy_start: int
    copy_end: int
    source_start: int
    source_end: int
    similarity: float
    """Cosine similarity of the two sides' sentence vectors (1: the same meaning)."""


@dataclass(frozen=True, slots=True)
class Fact:
    """A name or number of the copy that its source lacks: ``copy[start:end] == text``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Retrieval:
    """Why retrieval proposed a source: the evidence before any alignment."""

    rank: int
    """1 for the candidate retrieval ranked first."""
    shared_fingerprints: int
    """Distinct fingerprints of the suspect that the source also holds."""
    rarity: float
    """Sum of the shared fingerprints' rarity weights, ``log(1 + N / df)``."""


@dataclass(frozen=True, slots=True)
class Editions:
    """Other archive documents that carry the source's text word for word (syndication)."""

    count: int
    """How many other documents: all of them, not only those in ``ids``."""
    ids: tuple[str, ...]
    """The first 20 of them, in the order they were indexed."""


@dataclass(slots=True)
class Match:
    """A source that a suspect text was (or was not) derived from.

    - ``coverage``: share of the copy's words derived from this source.
    - ``source_coverage``: share of the source's words reused in the copy.
    - ``spin_rate``: share of aligned content words that were swapped.
    - ``score``: strength of the evidence in [0, 1]; matches are ranked by it.
    """

    source: Document
    verdict: Verdict
    score: float
    coverage: float
    source_coverage: float
    spin_rate: float
    edits: list[Edit] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    """Copied passages, longest first."""
    pairs: list[SentencePair] = field(default_factory=list)
    """Every copied sentence with its source sentence, in the copy's order."""
    retrieval: Retrieval | None = None
    also_in: Editions | None = None
    """Set when the source's text was indexed more than once (syndicated copies)."""
    sentences: list[RetoldSentences] = field(default_factory=list)
    """Copy sentences paired with source sentences by meaning, in the copy's order
    (filled for ``rewritten`` matches)."""
    new_facts: list[Fact] = field(default_factory=list)
    """The copy's names and numbers that this source lacks (filled for ``rewritten``)."""

    @property
    def source_id(self) -> str:
        return self.source.id


@dataclass(frozen=True, slots=True)
class Provenance:
    """Which unspin, which index and which settings produced a result.

    A verdict may end up in a takedown notice; this says how to reproduce it.
    """

    version: str
    index_id: str
    """A UUID made when the index file was created."""
    index_documents: int
    index_schema: int
    settings: dict[str, str | int | float | bool]


@dataclass(slots=True)
class CheckResult:
    """Everything unspin found out about one suspect text."""

    query: Document
    matches: list[Match]
    """Ranked best first; ``unrelated`` matches are left out."""
    provenance: Provenance | None = None
    language: str | None = None
    """ISO 639-1 code of the suspect's language, when detected."""
    unsupported_language: bool = False
    """True when the suspect's language cannot be traced: no match says nothing then."""

    @property
    def verdict(self) -> Verdict:
        """The best match's verdict, or ``unrelated`` when nothing matched."""
        return self.matches[0].verdict if self.matches else "unrelated"


DetectionVerdict = Literal["spun", "clean", "uncertain"]
"""What sourceless detection (:mod:`unspin.detect`) calls a text; unlike a check's
:data:`Verdict`, it names no source."""


@dataclass(frozen=True, slots=True)
class Flag:
    """A word, or a multiword thesaurus phrase ("crime syndicate"), that looks swapped
    in: ``text == detection.text[start:end]``."""

    start: int
    end: int
    text: str
    score: float
    """Probability that the word replaced another, in [0, 1]."""
    suggestions: tuple[str, ...]
    """Likely original words, best first (may be empty)."""
    evidence: tuple[str, ...] = ()
    """Why it was flagged, strongest signal first, in words ("LM: 'tax exile' 70x
    likelier than 'taxation exile'")."""


@dataclass(frozen=True, slots=True)
class SpunPassage:
    """A stretch of a judged text (about a hundred words) that looks spun on its own:
    ``detection.text[start:end]``."""

    start: int
    end: int
    spin_score: float
    """Calibrated probability that this passage was machine-spun."""


@dataclass(frozen=True, slots=True)
class Detection:
    """What sourceless detection found in one text.

    Defined here, with the other results, so that the one result schema
    (:mod:`unspin.schema`) serves it without the core importing :mod:`unspin.detect`.
    """

    text: str
    spin_score: float
    """Calibrated probability that the text was machine-spun (0.5: as likely as not)."""
    verdict: DetectionVerdict
    flags: tuple[Flag, ...]
    words: int
    """Content words judged."""
    id: str | None = None
    site: str | None = None
    passages: tuple[SpunPassage, ...] = ()
    """The passages that look spun on their own, in text order (a spun article inside
    clean sidebars and comments)."""

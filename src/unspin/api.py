"""The Python API: an archive index you can add to and check suspects against.

>>> from unspin import Index, Document
>>> with Index("archive.db") as index:                              # doctest: +SKIP
...     index.add([Document("wire-1", "Putin showed the Hollywood actor ...")])
...     result = index.check("the Russian president presented the Hollywood star ...")
...     result.verdict, result.matches[0].source_id
('spun', 'wire-1')

One call to :meth:`Index.check` runs the whole pipeline for one suspect:
normalize -> fingerprint -> retrieve candidates -> align each -> verdict.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from unspin.align import Alignment, Text, align
from unspin.embed import get_embedder
from unspin.errors import UnspinError
from unspin.fingerprint import GRAM, SAMPLE, fingerprint
from unspin.index import ADD_BATCH, SCHEMA_VERSION, AddStats, ArchiveIndex
from unspin.language import identify
from unspin.lexicon import Lexicon, get_lexicon
from unspin.meaning import retold_edits, retold_sentences, rewrite_evidence, sentence_vectors
from unspin.model import (
    COPY_VERDICTS,
    CheckResult,
    Document,
    Editions,
    Match,
    Provenance,
    Retrieval,
)
from unspin.normalize import NORMALIZATION_VERSION
from unspin.retrieve import Candidate, fuse, retrieve_by_fingerprints
from unspin.runtime import cycle_collection_paused
from unspin.settings import CheckSettings
from unspin.verdict import judge, judge_rewrite, may_be_rewritten, swapped_in_place

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
PREPARED_SOURCES = 256
"""Sources kept tokenized between checks. Scans, clusters and the web app meet
the same sources again and again (a syndicated story above all), and preparing
a source is a third of a check; 256 typical articles take about 30 MB."""


def unspin_version() -> str:
    """The installed unspin's version (as pip knows it): :data:`unspin.__version__`."""
    from unspin import __version__

    return __version__


class Index:
    """An archive of original articles in one SQLite file.

    ``path`` is created when missing (unless ``create=False``). ``read_only``
    opens it only to check against: nothing is written to it, so it may lie on
    storage this process may not write to. The lexicon
    used to label swaps defaults to :func:`unspin.lexicon.get_lexicon`;
    ``settings`` holds the thresholds of every check (the defaults when None).
    """

    def __init__(
        self,
        path: str | Path,
        *,
        create: bool = True,
        read_only: bool = False,
        lexicon: Lexicon | None = None,
        settings: CheckSettings | None = None,
    ) -> None:
        self.settings = settings or CheckSettings()
        self._archive = ArchiveIndex(path, create=create, read_only=read_only)
        self._lexicon = lexicon
        # Keyed by the text itself, so a cached source can never be another's.
        self._prepared_source = lru_cache(maxsize=PREPARED_SOURCES)(Text.of)
        self._source_vectors = lru_cache(maxsize=PREPARED_SOURCES)(self._vectors_of)
        common_df = self._archive.layout.common_df
        if self.settings.max_df > common_df:
            self._archive.close()
            raise UnspinError(
                f"max_df {self.settings.max_df} is above the index's common_df {common_df}: "
                "the index keeps no postings for fingerprints that common"
            )

    @property
    def lexicon(self) -> Lexicon:
        if self._lexicon is None:
            self._lexicon = get_lexicon()
        return self._lexicon

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._archive.close()

    def __len__(self) -> int:
        return len(self._archive)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._archive

    @property
    def path(self) -> Path:
        return self._archive.path

    @property
    def id(self) -> str:
        """The index's identity: a UUID made when the file was created, kept for good."""
        return self._archive.id

    def get(self, doc_id: str) -> Document | None:
        """The archived document with this id, or None."""
        return self._archive.get(doc_id)

    def documents(self, ids: Iterable[str]) -> dict[str, Document]:
        """The archived documents among ``ids``, by id (ids not in the index are left out)."""
        return self._archive.documents(ids)

    def iter_documents(self, batch_size: int = 1000) -> Iterator[Document]:
        """Every archived document, in the order they were added, read a batch at a time."""
        return self._archive.iter_documents(batch_size)

    def search(self, query: str, *, limit: int = 50) -> list[Document]:
        """The document whose id is ``query``, then those whose title, site or text hold its words.

        Full-text search (SQLite FTS5): whole words, and longer words' beginnings,
        regardless of case and accents; matches come in the order they were added.
        """
        return self._archive.search(query, limit=limit)

    def sites(self) -> dict[str, int]:
        """How many archived documents each site contributed, most first."""
        return self._archive.sites()

    def add(
        self,
        documents: Iterable[Document],
        *,
        batch_size: int = ADD_BATCH,
        workers: int | None = None,
        on_batch: Callable[[AddStats], None] | None = None,
    ) -> AddStats:
        """Add documents; ids already in the index are skipped, so reruns are cheap.

        ``workers`` processes fingerprint in parallel (default: one per CPU).
        """
        return self._archive.add(
            documents, batch_size=batch_size, workers=workers, on_batch=on_batch
        )

    def check(
        self, suspect: str | Document, *, candidates: int = 6, copies_only: bool = False
    ) -> CheckResult:
        """Find the sources of a suspect text and how it was changed.

        Matches come back best first; ``unrelated`` ones are left out. A suspect
        longer than the settings' ``max_text_chars``, or ``candidates`` under 1, raises
        :class:`UnspinError`.
        ``copies_only`` skips the weak candidates that could only turn out
        ``independent`` retellings: faster when only copies matter. Python's
        cycle collector is paused while a check runs, in every thread.
        """
        with cycle_collection_paused():
            return self._check(suspect, candidates, copies_only)

    def _check(self, suspect: str | Document, candidates: int, copies_only: bool) -> CheckResult:
        if candidates < 1:
            raise UnspinError(f"candidates must be at least 1, not {candidates}")
        query = suspect if isinstance(suspect, Document) else Document("-", suspect)
        if len(query.text) > self.settings.max_text_chars:
            raise UnspinError(
                f"{query.id}: too long to check ({len(query.text):,} characters; "
                f"limit {self.settings.max_text_chars:,})"
            )
        copy = Text.of(query.text)
        prints = fingerprint(copy.text, copy.tokens)
        matches: list[Match] = []
        settings = self.settings
        by_fingerprints = retrieve_by_fingerprints(
            self._archive, prints, settings=settings, limit=candidates, copies_only=copies_only
        )
        fingerprinted = by_fingerprints.candidates
        lexical = (
            self._archive.rare_terms(
                self._rarest_words(copy),
                terms=settings.lexical_terms,
                max_df=settings.lexical_max_df,
                limit=settings.lexical_candidates + len(fingerprinted),
            )
            if by_fingerprints.novel > settings.lexical_novel_share
            else []
        )
        found = fuse(fingerprinted, lexical, settings=settings)
        judged: list[tuple[Candidate, Text, Alignment, Match, Editions | None]] = []
        for candidate in found:
            source_document, also_in = self._archive.edition(candidate.edition)
            source = self._prepared_source(source_document.text)
            alignment = align(copy, source, self.lexicon, settings=settings)
            match = judge(copy, source, source_document, alignment, self.lexicon, settings=settings)
            judged.append((candidate, source, alignment, match, also_in))
        # The verdict that covers most of the copy (rule 7): a copy made mostly of
        # sources' words, swapped in place or not swapped, is no rewrite of any of them.
        copied = sum(
            swapped_in_place(copy, source, alignment, match, settings)
            for _, source, alignment, match, _ in judged
        )
        for rank, (candidate, source, alignment, match, also_in) in enumerate(judged, start=1):
            if copied <= settings.rewrite_word_coverage and may_be_rewritten(match):
                match = self._judge_rewrite(copy, source, match, alignment, query.published)
            if match.verdict in COPY_VERDICTS and _published_after(
                match.source.published, query.published
            ):
                continue  # a source is not newer than its copy
            if candidate.shared == 0 and match.verdict not in COPY_VERDICTS:
                continue  # found by rare words alone, to find rewrites: nothing else counts
            if match.verdict != "unrelated":
                match.retrieval = Retrieval(rank, candidate.shared, candidate.score)
                match.also_in = also_in
                matches.append(match)
        matches.sort(key=lambda m: (m.verdict not in COPY_VERDICTS, -m.score, m.source_id))
        language = identify(query.text)
        return CheckResult(
            query,
            matches,
            provenance=self.provenance(
                {
                    **settings.as_provenance(),
                    "candidates": candidates,
                    "copies_only": copies_only,
                    "gram": GRAM,
                    "sample": SAMPLE,
                    "normalization": NORMALIZATION_VERSION,
                }
            ),
            language=language.code or None,
            unsupported_language=not language.supported,
        )

    def _rarest_words(self, text: Text) -> list[str]:
        """The text's distinct words (three letters or more, or numbers), rarest first by
        the language's word frequencies, for the lexical channel of retrieval."""
        words = {t.key: text.text[t.start : t.end] for t in text.tokens}
        kept = [k for k in words if len(k) >= 3 or k.isdigit()]
        ranked = sorted(kept, key=lambda k: (self.lexicon.zipf(k), -len(k), k))
        return [words[k] for k in ranked]

    def _vectors_of(self, text: str) -> npt.NDArray[np.float32]:
        return sentence_vectors(self._prepared_source(text), get_embedder())

    def _judge_rewrite(
        self, copy: Text, source: Text, match: Match, alignment: Alignment, published: str | None
    ) -> Match:
        """The match, turned ``rewritten`` when alignment by meaning says the copy retells it."""
        settings = self.settings
        # Cached like a source's: the suspect is the same, candidate after candidate.
        copy_vectors = self._source_vectors(copy.text)
        evidence = rewrite_evidence(
            copy,
            source,
            copy_vectors,
            self._source_vectors(source.text),
            shared_quotes=[e for e in alignment.edits if e.type == "quote"],
            settings=settings,
        )
        judged = judge_rewrite(
            copy,
            source,
            match,
            alignment,
            evidence,
            self.lexicon,
            settings=settings,
            copy_published=published,
        )
        if judged.verdict == "rewritten":
            judged.sentences = retold_sentences(copy, source, evidence.pairs)
            judged.edits = retold_edits(
                copy, source, evidence.pairs, self.lexicon, settings=settings
            )
        return judged

    def provenance(self, settings: dict[str, str | int | float | bool]) -> Provenance:
        """Which unspin and which index (as of now) answer, with ``settings``."""
        return Provenance(
            unspin_version(), self._archive.id, len(self._archive), SCHEMA_VERSION, settings
        )


def _published_after(published: str | None, other: str | None) -> bool:
    """Whether one ISO date is later than another (the day decides); unknown dates never are."""
    if not published or not other:
        return False
    day, other_day = published[:10], other[:10]
    return bool(_ISO_DAY.fullmatch(day) and _ISO_DAY.fullmatch(other_day)) and day > other_day

"""The spinner dictionary: swaps that ``check`` found, per site, for reuse without a source.

A content farm's spinner has habits: it writes "presented" for "showed" and
"taxation" for "tax" again and again. Once ``check`` has aligned some of its
copies with their sources, those swaps are known; ``detect`` then treats the
same swap from the same site as strong evidence and offers its reverse first.

The dictionary lives in the index's own SQLite file, in a table of its own
(``spinner_swaps``), the ``detect`` namespace of :mod:`unspin.storage` with its
own schema version: the core index never needs to know about it.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from unspin.errors import UnspinError
from unspin.model import COPY_VERDICTS, UNKNOWN_SITE, CheckResult
from unspin.normalize import tokenize
from unspin.storage import Schema, connect


def _create(db: sqlite3.Connection) -> None:
    # IF NOT EXISTS: versions before namespaces made the same table, unversioned.
    db.execute(
        """CREATE TABLE IF NOT EXISTS spinner_swaps (
            site TEXT NOT NULL,
            copy_word TEXT NOT NULL,
            source_word TEXT NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (site, copy_word, source_word)
        ) WITHOUT ROWID"""
    )


DETECT = Schema("detect", 1, _create)
SEEN = ""
"""The source word of the rows that count how often a site wrote a word at all."""
_SWAP_EDITS = frozenset({"synonym", "inflection"})


@dataclass(frozen=True, slots=True)
class KnownSwap:
    """What the dictionary knows about one written word."""

    site_count: int
    """Times this site was seen writing the word in place of another."""
    site_seen: int
    """Times this site was seen writing the word at all (in the copies learned from)."""
    overall_count: int
    """Times any site wrote it in place of another."""
    overall_seen: int
    """Times any site wrote it at all."""
    originals: tuple[str, ...]
    """What it replaced, most often first (this site's habits before others')."""


@dataclass(slots=True)
class SpinnerDictionary:
    """Swaps (copy word <- source word) counted per site."""

    counts: dict[str, dict[str, Counter[str]]] = field(default_factory=dict)
    """site -> copy word -> Counter of source words (and ``SEEN``: all occurrences)."""

    def add(self, site: str | None, copy_word: str, source_word: str, count: int = 1) -> None:
        # Copies without site metadata count under UNKNOWN_SITE (older files stored "").
        by_word = self.counts.setdefault(site or UNKNOWN_SITE, {})
        by_word.setdefault(copy_word, Counter())[source_word] += count

    def add_result(self, result: CheckResult, site: str | None = None) -> int:
        """Add the swaps of the best copy match of ``result``; returns how many."""
        copies = [m for m in result.matches if m.verdict in COPY_VERDICTS]
        if not copies:
            return 0
        added = 0
        where = site if site is not None else result.query.site
        # How often each word was written at all: a word the site often writes
        # unchanged is weak evidence even if it was once a swap.
        for word, count in Counter(t.key for t in tokenize(result.query.text)).items():
            if word.isalpha():
                self.add(where, word, SEEN, count)
        for edit in copies[0].edits:
            if edit.type not in _SWAP_EDITS:
                continue
            copy_word = edit.copy_text.strip().lower()
            source_word = " ".join(edit.source_text.lower().split())
            if copy_word.isalpha() and source_word and copy_word != source_word:
                self.add(where, copy_word, source_word)
                added += 1
        return added

    def lookup(self, word: str, site: str | None) -> KnownSwap | None:
        """What is known about ``word`` written by ``site`` (None: never seen as a swap)."""
        overall: Counter[str] = Counter()
        for by_word in self.counts.values():
            found = by_word.get(word)
            if found:
                overall.update(found)
        overall_seen = overall.pop(SEEN, 0)
        if not overall:
            return None
        own = Counter(self.counts.get(site or UNKNOWN_SITE, {}).get(word, Counter()))
        site_seen = own.pop(SEEN, 0)
        ranked = [w for w, _ in own.most_common()]
        ranked += [w for w, _ in overall.most_common() if w not in own]
        return KnownSwap(
            sum(own.values()), site_seen, sum(overall.values()), overall_seen, tuple(ranked)
        )

    def __len__(self) -> int:
        """Distinct (site, copy word, source word) swaps."""
        return sum(
            len(c) - (SEEN in c) for by_word in self.counts.values() for c in by_word.values()
        )

    def sites(self) -> list[str]:
        return sorted(self.counts)

    # -- storage in the index file ---------------------------------------------------

    @classmethod
    def load(cls, db_path: Path) -> SpinnerDictionary:
        """The dictionary stored in an index file (empty when none was learned yet)."""
        dictionary = cls()
        try:
            with connect(db_path, "read-only") as database:
                if database.install(DETECT):
                    for site, copy_word, source_word, count in database.query(
                        "SELECT site, copy_word, source_word, count FROM spinner_swaps"
                    ):
                        dictionary.add(site, copy_word, source_word, int(count))
        except sqlite3.DatabaseError as error:
            raise UnspinError(f"{db_path}: cannot read the spinner dictionary ({error})") from None
        return dictionary

    def save_counts(self, db_path: Path, swaps: Iterable[tuple[str, str, str, int]]) -> None:
        """Add ``(site, copy_word, source_word, count)`` rows to the stored counts."""
        try:
            with (
                connect(db_path, "read-write", schemas=[DETECT]) as database,
                database.transaction() as db,
            ):
                db.executemany(
                    "INSERT INTO spinner_swaps VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (site, copy_word, source_word) "
                    "DO UPDATE SET count = count + excluded.count",
                    list(swaps),
                )
        except sqlite3.DatabaseError as error:
            raise UnspinError(f"{db_path}: cannot store the spinner dictionary ({error})") from None

    def rows(self) -> list[tuple[str, str, str, int]]:
        return [
            (site, copy_word, source_word, count)
            for site, by_word in sorted(self.counts.items())
            for copy_word, sources in sorted(by_word.items())
            for source_word, count in sorted(sources.items())
        ]

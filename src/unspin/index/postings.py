"""Postings: which edition groups hold each fingerprint, in sorted runs merged as they grow.

Each batch appends its postings, sorted, to a run table (``postings_<n>``, a
clustered WITHOUT ROWID B-tree); :mod:`unspin.index.planner` decides which
run, and when runs merge. The view ``postings`` unites the runs, so a lookup
is one seek per run; ``runs`` catalogs them, and ``common`` lists the
fingerprints too common to keep postings for.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import numpy.typing as npt

from unspin.fingerprint import Holders
from unspin.index import planner
from unspin.index.layout import IndexLayout
from unspin.index.planner import Merge, Run
from unspin.storage import Database

TABLES = (
    # One row per postings run, whose table is postings_<id>; main: the run
    # that the last merge of all runs wrote.
    "CREATE TABLE runs (id INTEGER PRIMARY KEY, rows INTEGER NOT NULL, main INTEGER NOT NULL)",
    "CREATE TABLE common (hash INTEGER PRIMARY KEY)",
)


def create_postings_tables(db: sqlite3.Connection) -> None:
    """The postings tables of a new index: an empty catalog but for one empty run."""
    for statement in TABLES:
        db.execute(statement)
    first = Run(1, 0, main=False)
    _new_run(db, first)
    _set_view(db, [first])


def stored_keys(hashes: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """What a posting stores of a fingerprint: its top 32 bits (a 4-byte SQLite integer).

    The top bits, because fingerprint sampling already fixed the low ones.
    """
    return hashes >> np.int64(32)


def isin_sorted(
    values: npt.NDArray[np.int64], sorted_set: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """``np.isin`` for a sorted, distinct ``sorted_set``, without sorting ``values``."""
    if not sorted_set.size:
        return np.zeros(values.shape, dtype=bool)
    where = np.minimum(np.searchsorted(sorted_set, values), sorted_set.size - 1)
    return np.asarray(sorted_set[where] == values)


class Postings:
    """The postings runs of one index file."""

    def __init__(self, database: Database, layout: IndexLayout) -> None:
        self._database = database
        self.layout = layout
        self._common: npt.NDArray[np.int64] | None = None
        self._common_marker: str | None = None

    def runs(self) -> list[Run]:
        rows = self._database.query("SELECT id, rows, main FROM runs ORDER BY id")
        return [Run(int(i), int(n), bool(m)) for i, n, m in rows]

    def append(self, db: sqlite3.Connection, hashes: Sequence[int], groups: Sequence[int]) -> None:
        """Add postings, sorted by (hash, group), inside the caller's transaction."""
        runs = self.runs()
        target = planner.run_for_batch(runs, self.layout)
        if target not in runs:
            _new_run(db, target)
            _set_view(db, [*runs, target])
        inserted = db.executemany(
            f"INSERT OR IGNORE INTO {target.table} VALUES (?, ?)", zip(hashes, groups, strict=True)
        ).rowcount
        db.execute("UPDATE runs SET rows = rows + ? WHERE id = ?", (inserted, target.id))

    def merge_while_needed(self, documents: Callable[[sqlite3.Connection], int]) -> None:
        """Merge runs while the layout asks for it, each merge one transaction.

        ``documents`` counts the index's documents, which decides whether to prune.
        """
        while (merge := planner.next_merge(self.runs(), self.layout)) is not None:
            self.merge(merge, documents)
            if merge.into_main:
                return

    def merge(self, merge: Merge, documents: Callable[[sqlite3.Connection], int]) -> None:
        """Replace runs by one run written in key order; into the main run, prune."""
        with self._database.transaction() as db:
            runs = self.runs()
            if not set(merge.runs) <= set(runs):
                return  # another writer merged them meanwhile
            rows = sum(r.rows for r in merge.runs)
            count = documents(db)
            prune = planner.prunes(merge, count, self.layout)
            if prune:
                # Postings of fingerprints found too common at the last pruning.
                # Deleted from runs about to be dropped, so they leave no holes.
                for run in merge.runs:
                    rows -= db.execute(
                        f"DELETE FROM {run.table} WHERE hash IN (SELECT hash FROM common)"
                    ).rowcount
            new = _write_run(db, Run(runs[-1].id + 1, rows, merge.into_main), merge.runs)
            dropped = list(merge.runs)
            if prune:
                found = self._prune(db, new, count)
                if planner.rewrites_after_pruning(new, found):
                    dropped.append(new)
                    new = _write_run(
                        db,
                        Run(new.id + 1, new.rows - found, main=True),
                        [new],
                        "WHERE hash NOT IN (SELECT hash FROM common)",
                    )
            for run in dropped:
                db.execute(f"DROP TABLE {run.table}")
                db.execute("DELETE FROM runs WHERE id = ?", (run.id,))
            _set_view(db, planner.after(runs, dropped, new))

    def _prune(self, db: sqlite3.Connection, run: Run, documents: int) -> int:
        """Move fingerprints in more than ``common_df`` documents to ``common``.

        ``run``, the new main run, holds every posting of every fingerprint
        not in ``common`` yet, in key order, so counting is one pass without
        sorting. Returns how many of its postings belong to fingerprints it
        moved. Queries answer from ``common`` first; the postings themselves
        are deleted at the next merge into the main run (deleting them from
        this run would leave its pages part empty).
        """
        found = db.execute(
            f"SELECT hash, COUNT(*) FROM {run.table} GROUP BY hash HAVING COUNT(*) > ?",
            (self.layout.common_df,),
        ).fetchall()
        db.executemany("INSERT OR IGNORE INTO common VALUES (?)", [(h,) for h, _ in found])
        db.execute("INSERT OR REPLACE INTO meta VALUES ('pruned_at', ?)", (str(documents),))
        self._common = None
        return sum(n for _, n in found)

    def common_hashes(self) -> npt.NDArray[np.int64]:
        """The sorted stored keys of fingerprints too common to keep postings for."""
        with self._database.reading():
            marker = self._database.meta("pruned_at")
            if self._common is None or marker != self._common_marker:
                rows = self._database.query("SELECT hash FROM common ORDER BY hash")
                self._common = np.array([r[0] for r in rows], dtype=np.int64)
                self._common_marker = marker
            return self._common

    def lookup(self, hashes: Iterable[int], *, max_df: int) -> Holders:
        """The edition groups holding each fingerprint, for fingerprints in at most ``max_df``.

        Fingerprints found in more carry too little evidence to be worth
        reading; they come back as too common, so callers can still count them
        as seen. Groups come in no set order (run by run): sorting them would
        cost a check more than anything it is used for.
        """
        values = np.array(list(hashes), dtype=np.int64)
        keys = stored_keys(values)
        # One read transaction: the runs, their view and ``common`` as of one moment.
        with self._database.transaction(write=False) as db:
            too_common = isin_sorted(keys, self.common_hashes())
            # One statement for all the fingerprints of a check, not one each (a
            # check has a few hundred); each fingerprint's groups still stop at
            # max_df + 1, since fingerprints not yet pruned can be in thousands.
            rows = db.execute(
                "SELECT key.value, (SELECT group_concat(doc) FROM "
                "(SELECT doc FROM postings WHERE hash = key.value LIMIT ?)) "
                "FROM json_each(?) AS key",
                (max_df + 1, json.dumps(keys[~too_common].tolist())),
            ).fetchall()
        listed = {key: docs for key, docs in rows if docs is not None}
        held: list[int] = []
        counts: list[int] = []
        lists: list[str] = []
        common = values[too_common].tolist()
        asked = ~too_common
        for value, key in zip(values[asked].tolist(), keys[asked].tolist(), strict=True):
            if (docs := listed.get(key)) is not None:
                count = docs.count(",") + 1
                if count <= max_df:
                    held.append(value)
                    counts.append(count)
                    lists.append(docs)
                else:
                    common.append(value)
        # The holders, thousands a check, parsed in one go.
        groups = np.fromstring(",".join(lists), dtype=np.int64, sep=",") if lists else _NONE
        return Holders(
            np.array(held, dtype=np.int64),
            np.array(counts, dtype=np.int64),
            groups,
            np.array(common, dtype=np.int64),
        )


_NONE = np.zeros(0, dtype=np.int64)


def _new_run(db: sqlite3.Connection, run: Run) -> None:
    db.execute(
        f"CREATE TABLE {run.table} (hash INTEGER NOT NULL, doc INTEGER NOT NULL, "
        "PRIMARY KEY (hash, doc)) WITHOUT ROWID"
    )
    db.execute("INSERT INTO runs VALUES (?, ?, ?)", (run.id, run.rows, int(run.main)))


def _set_view(db: sqlite3.Connection, runs: Sequence[Run]) -> None:
    db.execute("DROP VIEW IF EXISTS postings")
    db.execute(
        "CREATE VIEW postings AS "
        + " UNION ALL ".join(f"SELECT hash, doc FROM {r.table}" for r in runs)
    )


def _write_run(db: sqlite3.Connection, run: Run, sources: Sequence[Run], where: str = "") -> Run:
    """Create ``run`` from the postings of ``sources``, read and written in key order."""
    _new_run(db, run)
    db.execute(
        f"INSERT INTO {run.table} "
        + " UNION ALL ".join(f"SELECT hash, doc FROM {r.table} {where}" for r in sources)
        + " ORDER BY hash, doc"
    )
    return run

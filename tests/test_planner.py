"""The postings run planner: pure decisions over run sizes, no SQLite involved."""

from __future__ import annotations

import random

from unspin.index.layout import IndexLayout
from unspin.index.planner import (
    Merge,
    Run,
    after,
    level,
    next_merge,
    prunes,
    rewrites_after_pruning,
    run_for_batch,
)

LAYOUT = IndexLayout(run_base=100, fan_in=4, merge_min=1000, merge_fraction=0.5, prune_from=50)


def test_levels_grow_by_the_fan_in() -> None:
    assert [level(Run(1, rows, main=False), LAYOUT) for rows in (0, 399, 400, 1599, 1600)] == [
        0,
        0,
        1,
        1,
        2,
    ]


def test_a_batch_goes_into_the_newest_run_while_it_is_small() -> None:
    small = Run(3, 99, main=False)
    assert run_for_batch([Run(1, 5000, main=True), small], LAYOUT) == small
    assert run_for_batch([Run(1, 5000, main=True), Run(3, 100, main=False)], LAYOUT) == Run(
        4, 0, main=False
    )
    # Never into the main run, however small: it is only written by merges.
    assert run_for_batch([Run(7, 10, main=True)], LAYOUT) == Run(8, 0, main=False)


def test_runs_of_one_level_merge_once_there_are_fan_in_of_them() -> None:
    main = Run(1, 100_000, main=True)
    three = [Run(i, 120, main=False) for i in range(2, 5)]
    assert next_merge([main, *three], LAYOUT) is None
    four = [*three, Run(5, 130, main=False)]
    assert next_merge([main, *four], LAYOUT) == Merge(tuple(four), into_main=False)


def test_the_lowest_full_level_merges_first() -> None:
    big = [Run(i, 500, main=False) for i in range(2, 6)]  # level 1
    small = [Run(i, 50, main=False) for i in range(6, 10)]  # level 0
    found = next_merge([Run(1, 10**6, main=True), *big, *small], LAYOUT)
    assert found == Merge(tuple(small), into_main=False)


def test_everything_merges_into_main_once_the_newer_runs_are_half_its_size() -> None:
    newer = [Run(2, 600, main=False), Run(3, 500, main=False)]
    runs = [Run(1, 2000, main=True), *newer]
    assert next_merge(runs, LAYOUT) == Merge(tuple(runs), into_main=True)
    # Below merge_min nothing merges into main, whatever the share.
    assert next_merge([Run(1, 10, main=True), Run(2, 900, main=False)], LAYOUT) is None
    # Without a main run yet, the first large enough set of runs becomes it.
    first = [Run(1, 700, main=False), Run(2, 400, main=False)]
    assert next_merge(first, LAYOUT) == Merge(tuple(first), into_main=True)


def test_pruning_only_into_main_and_from_prune_from_documents() -> None:
    into_main = Merge((Run(1, 10, main=True),), into_main=True)
    level_merge = Merge((Run(1, 10, main=False),), into_main=False)
    assert prunes(into_main, 50, LAYOUT)
    assert not prunes(into_main, 49, LAYOUT)
    assert not prunes(level_merge, 10**6, LAYOUT)
    run = Run(9, 800, main=True)
    assert not rewrites_after_pruning(run, 100)
    assert rewrites_after_pruning(run, 101)


def test_after_a_merge_the_new_run_replaces_the_merged_ones() -> None:
    runs = [Run(i, 10, main=False) for i in range(1, 6)]
    new = Run(6, 30, main=False)
    assert after(runs, runs[1:4], new) == [runs[0], runs[4], new]


def test_simulated_build_keeps_few_runs_and_rewrites_each_posting_a_few_times() -> None:
    """Play the planner over a long build: it must bound both the runs and the work."""
    layout = IndexLayout(run_base=1000, fan_in=4, merge_min=20_000)
    rng = random.Random(3)
    runs = [Run(1, 0, main=False)]
    written = appended = 0
    for _ in range(3000):
        batch = rng.randrange(200, 2000)
        target = run_for_batch(runs, layout)
        if target not in runs:
            runs.append(target)
        runs = [Run(r.id, r.rows + batch, r.main) if r == target else r for r in runs]
        appended += batch
        while (merge := next_merge(runs, layout)) is not None:
            new = Run(runs[-1].id + 1, sum(r.rows for r in merge.runs), merge.into_main)
            written += new.rows
            runs = after(runs, merge.runs, new)
            if merge.into_main:
                break
        assert len(runs) <= 16, runs
    assert sum(r.rows for r in runs) == appended
    assert written < 8 * appended

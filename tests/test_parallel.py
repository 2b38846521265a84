"""The one bounded process map: results in input order, input read only a little ahead."""

from __future__ import annotations

from collections.abc import Iterator

from unspin.parallel import AHEAD_PER_WORKER, bounded_map


def square(number: int) -> int:
    return number * number


def test_results_keep_input_order_and_input_is_read_boundedly() -> None:
    pulled: list[int] = []

    def numbers() -> Iterator[int]:
        for number in range(40):
            pulled.append(number)
            yield number

    results = bounded_map(square, numbers(), workers=2)
    first = next(results)
    assert len(pulled) <= AHEAD_PER_WORKER * 2 + 1  # never the whole input up front
    assert [first, *results] == [n * n for n in range(40)]


def test_one_worker_or_one_item_runs_in_this_process() -> None:
    assert list(bounded_map(square, [3], workers=4)) == [9]
    assert list(bounded_map(lambda n: n + 1, range(5), workers=1)) == [1, 2, 3, 4, 5]

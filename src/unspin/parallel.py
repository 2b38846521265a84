"""One bounded process map, for indexing and scanning alike."""

from __future__ import annotations

import itertools
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

A = TypeVar("A")
R = TypeVar("R")

AHEAD_PER_WORKER = 2
"""Items in flight per worker: enough to keep every worker busy while the caller
consumes, few enough that memory stays flat on inputs of any size."""


def bounded_map(function: Callable[[A], R], items: Iterable[A], *, workers: int) -> Iterator[R]:
    """``map(function, items)`` in order, computed ahead by a pool of ``workers`` processes.

    ``function`` and the items must pickle (a module-level function or a
    :func:`functools.partial` of one). With one worker, or fewer than two
    items, everything runs in this process: no pool is worth starting.
    """
    items = iter(items)
    head = list(itertools.islice(items, 2))
    if workers <= 1 or len(head) < 2:
        yield from map(function, itertools.chain(head, items))
        return
    # fork where there is one: workers start at once, with what this process has loaded.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_die_with, initargs=(os.getpid(),)
    ) as pool:
        pending: deque[Future[R]] = deque(pool.submit(function, item) for item in head)
        for item in items:
            if len(pending) >= AHEAD_PER_WORKER * workers:
                yield pending.popleft().result()
            pending.append(pool.submit(function, item))
        while pending:
            yield pending.popleft().result()


PARENT_WATCH_SECONDS = 0.5


def _die_with(parent: int) -> None:
    """Make this worker exit once ``parent`` is gone: a parent killed with -9 cannot shut its
    pool down, and its workers (hundreds of MB each) would live on as orphans.

    A thread rather than Linux's ``PR_SET_PDEATHSIG``: that fires when the *thread* that
    started the worker ends, which need not be when the parent does.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_WATCH_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="unspin-parent-watch", daemon=True).start()

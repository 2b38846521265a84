"""What every ``unspin`` command shares: consoles, errors, progress bars, the result loop.

Commands live with the package they drive (the core in :mod:`unspin.cli`,
detection, the web app and the scan engines in their own packages), and each
of those modules registers its commands on :data:`unspin.cli.app` through a
``register(app)`` function. They all report problems the same way, through
the helpers here.
"""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console, RenderableType
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from unspin.errors import UnspinError
from unspin.io import SUFFIX_LIST, BadRecord, read_document_stdin, read_documents
from unspin.model import Document
from unspin.report import plain

out = Console()
err = Console(stderr=True, soft_wrap=True)

EXIT_BAD_INPUT = 2
F = TypeVar("F", bound=Callable[..., Any])
R = TypeVar("R")

DbOption = Annotated[Path, typer.Option("--db", help="The index file (SQLite).")]
INPUTS_HELP = f"Files, folders or glob patterns: {SUFFIX_LIST}"
"""What every command that reads documents accepts (see :mod:`unspin.io`)."""


def say(text: str) -> None:
    """Print a plain summary line: no markup, no highlighting, never wrapped mid-path."""
    out.print(plain(text), highlight=False, soft_wrap=True)


def friendly_errors(command: F) -> F:
    """Turn UnspinError into one red line and exit status 2; Ctrl-C into status 130."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except UnspinError as error:
            # A message may hold brackets ("unspin[mlm]", a path) that are no markup.
            err.print(plain("error: ", "red") + plain(str(error)), highlight=False)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except KeyboardInterrupt:
            err.print("[yellow]interrupted[/yellow]; rerun the same command to continue")
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


class BadRecordCounter:
    """Reports bad records as they come and counts them."""

    def __init__(self) -> None:
        self.count = 0

    def inputs(self, names: list[str]) -> Iterator[Document]:
        """Documents from files, folders and batches, with ``-`` meaning standard input."""
        if "-" in names:
            yield read_document_stdin(sys.stdin.buffer)
        yield from self.documents(read_documents([Path(n) for n in names if n != "-"]))

    def finish(self, done: int, summary: str, *, quiet: bool = False) -> None:
        """Print the closing summary; exit with status 2 when every input was bad."""
        if not quiet:
            out.print(plain(f"{summary} ({self.count} bad records skipped)", "dim"))
        if done == 0 and self.count:
            raise typer.Exit(EXIT_BAD_INPUT)

    def documents(self, items: Iterator[Document | BadRecord]) -> Iterator[Document]:
        """The documents of ``items``; each bad record is reported and counted."""
        for item in items:
            if isinstance(item, BadRecord):
                self.report(item)
            else:
                yield item

    def report(self, record: BadRecord) -> None:
        """Say on stderr that ``record`` was skipped, and why; count it."""
        self.count += 1
        err.print(plain("skipped ", "yellow") + plain(str(record)), highlight=False)


def report_each(
    names: list[str],
    judge: Callable[[Document], R],
    *,
    as_json: bool,
    to_line: Callable[[R], str],
    render: Callable[[R], RenderableType],
    summary: str,
    html: Callable[[list[tuple[Document, R]]], None] | None = None,
) -> None:
    """Judge every document of ``names`` and print each result as it comes.

    Each result is one JSON line (``to_line``) with ``as_json``, else a terminal
    report (``render``). ``html``, when given, gets every document with its
    result at the end. ``summary`` ("checked {} suspects") closes the output;
    the exit status is 2 when every input was bad.
    """
    bad = BadRecordCounter()
    kept: list[tuple[Document, R]] = []
    done = 0
    for document in bad.inputs(names):
        result = judge(document)
        done += 1
        if html is not None:
            kept.append((document, result))
        if as_json:
            sys.stdout.write(to_line(result) + "\n")
        else:
            out.print(render(result))
    if html is not None:
        html(kept)
    bad.finish(done, summary.format(done), quiet=as_json)


class RateProgress:
    """A progress bar's task that shows documents per second and, given a total, time left."""

    def __init__(self, bar: Progress, description: str) -> None:
        self._bar = bar
        self._task = bar.add_task(description, total=None, rate="")
        self._start = bar.get_time()

    def update(self, done: int, *, total: int | None = None, skipped: int = 0) -> None:
        """``done`` documents handled in this run, ``skipped`` passed over, of about ``total``."""
        rate = done / max(self._bar.get_time() - self._start, 1e-9)
        shown = f"{rate:,.0f} docs/s"
        left = total - skipped - done if total else 0
        if left > 0 and rate > 0:
            seconds = int(left / rate)
            shown += f", ETA {seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        self._bar.update(self._task, completed=done + skipped, total=total, rate=shown)


@contextlib.contextmanager
def rate_progress(description: str) -> Iterator[RateProgress]:
    """A progress bar on stderr with count, rate, time left and elapsed time.

    It is off when stderr is not a terminal.
    """
    bar = Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        console=err,
        transient=False,
        disable=not err.is_terminal,
    )
    with bar:
        yield RateProgress(bar, description)

"""What every ``unspin`` command shares: consoles, error handling, progress bars.

Commands live with the package they drive (the core in :mod:`unspin.cli`,
detection, the web app and the scan engines in their own packages), and each
of those modules registers its commands on :data:`unspin.cli.app` through a
``register(app)`` function. They all report problems the same way, through
the helpers here.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from unspin.errors import UnspinError
from unspin.ingest import BadRecord, read_document_stdin, read_documents
from unspin.model import Document

out = Console()
err = Console(stderr=True, soft_wrap=True)

EXIT_BAD_INPUT = 2
F = TypeVar("F", bound=Callable[..., Any])

DbOption = Annotated[Path, typer.Option("--db", help="The index file (SQLite).")]


def friendly_errors(command: F) -> F:
    """Turn UnspinError into one red line and exit status 2; Ctrl-C into status 130."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except UnspinError as error:
            # Escaped: a message may hold brackets ("unspin[mlm]", a path) that are no markup.
            err.print(f"[red]error:[/red] {escape(str(error))}", highlight=False, markup=True)
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
            out.print(f"{summary} ({self.count} bad records skipped)", style="dim")
        if done == 0 and self.count:
            raise typer.Exit(EXIT_BAD_INPUT)

    def documents(self, items: Iterator[Document | BadRecord]) -> Iterator[Document]:
        for item in items:
            if isinstance(item, BadRecord):
                self.count += 1
                err.print(f"[yellow]skipped[/yellow] {item}", highlight=False, markup=True)
            else:
                yield item


def progress() -> Progress:
    """A progress bar on stderr with count, rate and elapsed time (off when not a terminal)."""
    return Progress(
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

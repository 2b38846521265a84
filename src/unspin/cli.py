"""The ``unspin`` command line.

Every command reports bad input as one line naming the file or record and
exits non-zero only when nothing usable was left; bad records inside a batch
are skipped and counted. No command shows a traceback for a user's mistake.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
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

app = typer.Typer(
    name="unspin",
    help="Trace copied and synonym-spun news back to its sources.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
out = Console()
err = Console(stderr=True)

EXIT_BAD_INPUT = 2
F = TypeVar("F", bound=Callable[..., Any])

DbOption = Annotated[Path, typer.Option("--db", help="The index file (SQLite).")]


def _friendly_errors(command: F) -> F:
    """Turn UnspinError into one red line and exit status 2; Ctrl-C into status 130."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except UnspinError as error:
            err.print(f"[red]error:[/red] {error}", highlight=False, soft_wrap=True)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except KeyboardInterrupt:
            err.print("[yellow]interrupted[/yellow]; rerun the same command to continue")
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


class _BadRecordCounter:
    """Reports bad records as they come and counts them."""

    def __init__(self) -> None:
        self.count = 0

    def documents(self, items: Iterator[Document | BadRecord]) -> Iterator[Document]:
        for item in items:
            if isinstance(item, BadRecord):
                self.count += 1
                err.print(f"[yellow]skipped[/yellow] {item}", highlight=False, soft_wrap=True)
            else:
                yield item


def _progress() -> Progress:
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


@app.command()
@_friendly_errors
def index(
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders: .txt, .html, .jsonl, .csv")
    ],
    db: DbOption,
    batch_size: Annotated[int, typer.Option(help="Documents per transaction.")] = 500,
) -> None:
    """Add original articles to the index; ids already present are skipped."""
    from unspin.index import ArchiveIndex

    bad = _BadRecordCounter()
    with ArchiveIndex(db) as archive, _progress() as progress:
        task = progress.add_task("indexing", total=None, rate="")
        start = progress.get_time()

        def on_batch(stats: Any) -> None:
            done = stats.added + stats.already_present
            elapsed = max(progress.get_time() - start, 1e-9)
            progress.update(task, completed=done, rate=f"{done / elapsed:,.0f} docs/s")

        stats = archive.add(
            bad.documents(read_documents(paths)), batch_size=batch_size, on_batch=on_batch
        )
        total = len(archive)
    out.print(
        f"indexed {stats.added:,} new documents into {db} "
        f"({stats.already_present:,} already present, {bad.count:,} bad records skipped; "
        f"{total:,} in the index)",
        highlight=False,
        soft_wrap=True,
    )
    if stats.added + stats.already_present == 0 and bad.count:
        raise typer.Exit(EXIT_BAD_INPUT)


def _suspects(inputs: list[str], bad: _BadRecordCounter) -> Iterator[Document]:
    files = [Path(i) for i in inputs if i != "-"]
    if "-" in inputs:
        yield read_document_stdin(sys.stdin.buffer)
    yield from bad.documents(read_documents(files))


@app.command()
@_friendly_errors
def check(
    inputs: Annotated[
        list[str], typer.Argument(help="Suspect files (.txt, .html, .jsonl, .csv) or - for stdin.")
    ],
    db: DbOption,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per suspect.")] = False,
    candidates: Annotated[int, typer.Option(help="Candidate sources to verify per suspect.")] = 6,
) -> None:
    """Find the sources of suspect texts and show every swapped word."""
    from unspin.api import Index
    from unspin.report import render_result, result_to_json

    bad = _BadRecordCounter()
    checked = 0
    with Index(db, create=False) as archive:
        for suspect in _suspects(inputs, bad):
            result = archive.check(suspect, candidates=candidates)
            checked += 1
            if as_json:
                sys.stdout.write(json.dumps(result_to_json(result), ensure_ascii=False) + "\n")
            else:
                out.print(render_result(result))
    if not as_json:
        out.print(f"checked {checked} suspects ({bad.count} bad records skipped)", style="dim")
    if checked == 0 and bad.count:
        raise typer.Exit(EXIT_BAD_INPUT)


@app.command()
@_friendly_errors
def generate(
    inputs: Annotated[
        list[Path], typer.Argument(help="Source articles (the same formats as index).")
    ],
    kind: Annotated[
        str,
        typer.Option(
            help="verbatim, spun, partial, stitched, homoglyph, boilerplate or encoding_loss"
        ),
    ] = "spun",
    rate: Annotated[float, typer.Option(help="Share of content words to swap.")] = 0.3,
    seed: Annotated[int, typer.Option(help="Random seed; same seed, same output.")] = 0,
) -> None:
    """Make spun test variants of articles (an evaluation tool, not a product feature).

    Prints one JSON line per variant with the text and the ground truth.
    Stitched variants combine each input with the next one.
    """
    from unspin.testdata import make_variant, variant_to_json

    if not 0.0 <= rate <= 1.0:
        raise UnspinError(f"--rate must be between 0 and 1, not {rate}")
    bad = _BadRecordCounter()
    sources = list(bad.documents(read_documents(inputs)))
    if not sources:
        raise UnspinError("no readable source articles given")
    for number, source in enumerate(sources):
        group = [source, sources[(number + 1) % len(sources)]] if kind == "stitched" else [source]
        try:
            variant = make_variant(kind, group, rate=rate, seed=seed + number)
        except ValueError as error:
            raise UnspinError(str(error)) from None
        record = {"id": f"{kind}-{rate:g}-{source.id}", **variant_to_json(variant)}
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


@app.command()
@_friendly_errors
def setup() -> None:
    """Build the lexicon cache (WordNet, thesauri, word vectors) ahead of first use."""
    from unspin.lexicon import build_cache

    path = build_cache()
    out.print(f"lexicon ready: {path}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()

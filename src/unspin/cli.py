"""The ``unspin`` command line: the core commands.

Every command reports bad input as one line naming the file or record and
exits non-zero only when nothing usable was left; bad records inside a batch
are skipped and counted. No command shows a traceback for a user's mistake.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from unspin.console import (
    EXIT_BAD_INPUT,
    INPUTS_HELP,
    BadRecordCounter,
    DbOption,
    friendly_errors,
    out,
    rate_progress,
    report_each,
    say,
)
from unspin.errors import UnspinError
from unspin.index import AddStats, ArchiveIndex
from unspin.io import read_documents
from unspin.model import CheckResult, Document

app = typer.Typer(
    name="unspin",
    help="Trace copied and synonym-spun news back to its sources.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.command()
@friendly_errors
def index(
    paths: Annotated[list[Path], typer.Argument(help=INPUTS_HELP)],
    db: DbOption,
    batch_size: Annotated[int, typer.Option(help="Documents per transaction.")] = 500,
) -> None:
    """Add original articles to the index; ids already present are skipped."""
    bad = BadRecordCounter()
    with ArchiveIndex(db) as archive, rate_progress("indexing") as bar:

        def on_batch(stats: AddStats) -> None:
            bar.update(stats.added + stats.already_present)

        stats = archive.add(
            bad.documents(read_documents(paths)), batch_size=batch_size, on_batch=on_batch
        )
        total = len(archive)
    say(
        f"indexed {stats.added:,} new documents into {db} "
        f"({stats.already_present:,} already present, {bad.count:,} bad records skipped; "
        f"{total:,} in the index)"
    )
    if stats.added + stats.already_present == 0 and bad.count:
        raise typer.Exit(EXIT_BAD_INPUT)


@app.command()
@friendly_errors
def check(
    inputs: Annotated[list[str], typer.Argument(help=f"Suspects ({INPUTS_HELP}) or - for stdin.")],
    db: DbOption,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per suspect.")] = False,
    candidates: Annotated[int, typer.Option(help="Candidate sources to verify per suspect.")] = 6,
    html: Annotated[
        Path | None,
        typer.Option("--html", help="Also write a self-contained HTML report to this file."),
    ] = None,
) -> None:
    """Find the sources of suspect texts and show every swapped word."""
    from unspin.api import Index
    from unspin.report import render_result
    from unspin.schema import to_line

    with Index(db, create=False) as archive:
        report_each(
            inputs,
            lambda suspect: archive.check(suspect, candidates=candidates),
            as_json=as_json,
            to_line=to_line,
            render=render_result,
            summary="checked {} suspects",
            html=None if html is None else functools.partial(_write_check_report, html),
        )


def _write_check_report(path: Path, checked: list[tuple[Document, CheckResult]]) -> None:
    from unspin.html import write_report

    write_report(path, [result for _, result in checked])


@app.command()
@friendly_errors
def generate(
    inputs: Annotated[list[Path], typer.Argument(help=f"Source articles: {INPUTS_HELP}")],
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
    bad = BadRecordCounter()
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
@friendly_errors
def setup() -> None:
    """Build the lexicon cache (WordNet, thesauri, word vectors) ahead of first use."""
    from unspin.lexicon import build_cache

    path = build_cache()
    out.print(f"lexicon ready: {path}")


def _register_packages() -> None:
    """Commands of the packages built on the core (detection, web app, scanning)."""
    import importlib
    import importlib.util

    for name in ("unspin.detect.commands", "unspin.web.commands", "unspin.scan.commands"):
        if importlib.util.find_spec(name.rsplit(".", 1)[0]) and importlib.util.find_spec(name):
            importlib.import_module(name).register(app)


_register_packages()


def main() -> None:
    app()


if __name__ == "__main__":
    main()

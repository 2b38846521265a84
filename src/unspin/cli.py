"""The ``unspin`` command line: the core commands, and those of the rings built on the core.

Every command reports bad input as one line naming the file or record and
exits non-zero only when nothing usable was left; bad records inside a batch
are skipped and counted. No command shows a traceback for a user's mistake.

The rings (detection, the web app, the scan engines) add their commands
through a ``register(app)`` function in their ``commands`` module. That module
is imported only when one of its commands runs (or ``unspin --help`` lists
them), so ``unspin check`` pays for none of their imports, and a ring whose
optional dependencies are missing still shows its commands, which then say
what to install.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import itertools
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from typer.core import TyperGroup
from typer.main import get_group

from unspin.console import (
    EXIT_BAD_INPUT,
    INPUTS_HELP,
    BadRecordCounter,
    DbOption,
    friendly_errors,
    rate_progress,
    report_each,
    say,
)
from unspin.errors import FeatureUnavailable, UnspinError
from unspin.io import read_documents
from unspin.model import CheckResult, Document

if TYPE_CHECKING:
    from typer._click import Command, Context  # the click that TyperGroup is typed with

    from unspin.index import AddStats


@dataclass(frozen=True, slots=True)
class Ring:
    """A package built on the core that adds commands to ``unspin``."""

    module: str
    """Its commands module, whose ``register(app)`` adds the commands."""
    commands: tuple[str, ...]
    """The names ``register`` adds."""
    needs: tuple[str, ...] = ()
    """Modules of optional dependencies without which none of its commands can start."""
    extra: str = ""
    """The extra that installs them: ``pip install 'unspin[EXTRA]'``."""

    def load(self) -> typer.Typer:
        """The ring's commands, or stand-ins that say what to install when ``needs`` are missing."""
        commands = typer.Typer(pretty_exceptions_enable=False, add_completion=False)
        if all(importlib.util.find_spec(module) for module in self.needs):
            importlib.import_module(self.module).register(commands)
        else:
            for name in self.commands:
                commands.command(
                    name,
                    help=f"Not installed: pip install 'unspin\\[{self.extra}]'",
                    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
                    add_help_option=False,
                )(_not_installed(name, self.extra))
        return commands


RINGS = (
    Ring("unspin.detect.commands", ("detect", "train", "learn")),
    Ring("unspin.web.commands", ("serve",), needs=("fastapi", "uvicorn"), extra="web"),
    Ring("unspin.scan.commands", ("scan", "cluster")),
)


def _not_installed(name: str, extra: str) -> Callable[[], None]:
    @friendly_errors
    def explain() -> None:
        raise FeatureUnavailable(
            f"'unspin {name}' needs the {extra} extra: pip install 'unspin[{extra}]'"
        )

    return explain


class _RingsOnDemand(TyperGroup):
    """The core commands, and each ring's loaded when one of them is first asked for."""

    def list_commands(self, ctx: Context) -> list[str]:
        names = [*super().list_commands(ctx), *(name for ring in RINGS for name in ring.commands)]
        return list(dict.fromkeys(names))  # a loaded ring's commands are listed once

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        command = super().get_command(ctx, cmd_name)
        ring = next((each for each in RINGS if cmd_name in each.commands), None)
        if command is None and ring is not None:
            for name, loaded in get_group(ring.load()).commands.items():
                self.add_command(loaded, name)
            command = super().get_command(ctx, cmd_name)
        return command


app = typer.Typer(
    name="unspin",
    cls=_RingsOnDemand,
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
    batch_size: Annotated[
        int | None, typer.Option(help="Documents per transaction (default 1000).", min=1)
    ] = None,
) -> None:
    """Add original articles to the index; ids already present are skipped."""
    from unspin.api import Index
    from unspin.index import ADD_BATCH

    bad = BadRecordCounter()
    documents = bad.documents(read_documents(paths))
    first = next(documents, None)
    if first is None:  # nothing readable: no index file is made for it
        say(f"nothing to index ({bad.count:,} bad records skipped); {db} left as it was")
        raise typer.Exit(EXIT_BAD_INPUT if bad.count else 0)
    with Index(db) as archive, rate_progress("indexing") as bar:

        def on_batch(stats: AddStats) -> None:
            bar.update(stats.added + stats.already_present)

        stats = archive.add(
            itertools.chain([first], documents),
            batch_size=batch_size or ADD_BATCH,
            on_batch=on_batch,
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
    candidates: Annotated[
        int, typer.Option(help="Candidate sources to verify per suspect.", min=1)
    ] = 6,
    html: Annotated[
        Path | None,
        typer.Option("--html", help="Also write a self-contained HTML report to this file."),
    ] = None,
) -> None:
    """Find the sources of suspect texts and show every swapped word."""
    from unspin.api import Index
    from unspin.report import render_result
    from unspin.schema import to_line

    with Index(db, read_only=True) as archive:
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
    from unspin.synthetic import make_variant, variant_to_json

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
    say(f"lexicon ready: {path}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()

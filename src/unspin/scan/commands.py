"""The ``unspin scan`` and ``unspin cluster`` commands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from unspin.console import (
    EXIT_BAD_INPUT,
    INPUTS_HELP,
    BadRecordCounter,
    DbOption,
    friendly_errors,
    rate_progress,
    say,
)
from unspin.errors import UnspinError
from unspin.io import atomic_write

if TYPE_CHECKING:
    from unspin.scan.scan import Engine

InputsArgument = Annotated[list[Path], typer.Argument(help=INPUTS_HELP)]
EngineOption = Annotated[
    str, typer.Option(help="local (processes on this machine) or spark (Apache Spark).")
]
MasterOption = Annotated[
    str | None,
    typer.Option(help="Spark master URL, e.g. spark://host:7077 (default local[*])."),
]
WorkersOption = Annotated[
    int | None,
    typer.Option(help="Local engine: worker processes (default: one per CPU).", min=1),
]


def _engine(engine: str) -> Engine:
    if engine == "local":
        return "local"
    if engine == "spark":
        return "spark"
    raise UnspinError(f"--engine must be local or spark, not {engine!r}")


@friendly_errors
def scan_command(
    inputs: InputsArgument,
    db: DbOption,
    output: Annotated[
        Path, typer.Option("--out", help="Results file: .jsonl or .parquet (check --json rows).")
    ],
    engine: EngineOption = "local",
    master: MasterOption = None,
    workers: WorkersOption = None,
) -> None:
    """Check every document of crawls against the index; a rerun resumes where it stopped."""
    from unspin.scan.scan import ScanProgress, scan

    with rate_progress("scanning") as bar:

        def on_progress(state: ScanProgress) -> None:
            bar.update(state.checked, total=state.expected, skipped=state.already_done)

        report = scan(
            inputs,
            db,
            output,
            engine=_engine(engine),
            workers=workers,
            master=master,
            on_progress=on_progress,
            on_bad=BadRecordCounter().report,
        )
    state, summary = report.progress, report.summary
    say(
        f"scanned {state.checked:,} documents ({state.already_done:,} already done, "
        f"{state.bad_records:,} bad records skipped); {report.rows:,} rows in {report.output}"
    )
    verdicts = ", ".join(f"{name} {count:,}" for name, count in summary.verdicts.items())
    say(f"verdicts: {verdicts or 'none'}")
    if summary.copying_sites:
        sites = ", ".join(f"{site} ({count:,})" for site, count in summary.copying_sites)
        say(f"top copying sites: {sites}")
    if summary.checked == 0 and state.bad_records:
        raise typer.Exit(EXIT_BAD_INPUT)


@friendly_errors
def cluster_command(
    inputs: InputsArgument,
    output: Annotated[Path, typer.Option("--out", help="Clusters file (.jsonl), one per line.")],
    engine: EngineOption = "local",
    master: MasterOption = None,
    workers: WorkersOption = None,
    work_dir: Annotated[
        Path | None,
        typer.Option(help="Folder for the temporary index (on Spark: shared storage)."),
    ] = None,
) -> None:
    """Find groups of copies inside crawls, without an archive, and each group's original."""
    from unspin.scan.cluster import cluster_to_json, find_clusters

    with rate_progress("clustering") as bar:
        report = find_clusters(
            inputs,
            engine=_engine(engine),
            workers=workers,
            master=master,
            work_dir=work_dir,
            on_progress=bar.update,
            on_bad=BadRecordCounter().report,
        )
    try:
        with atomic_write(output) as temporary, temporary.open("w", encoding="utf-8") as file:
            for cluster in report.clusters:
                file.write(json.dumps(cluster_to_json(cluster), ensure_ascii=False) + "\n")
    except OSError as error:
        raise UnspinError(f"{output}: cannot write ({error.strerror or error})") from None
    copies = sum(len(c.members) for c in report.clusters)
    say(
        f"found {len(report.clusters):,} clusters holding {copies:,} of {report.documents:,} "
        f"documents ({len(report.bad_records):,} bad records skipped); written to {output}"
    )
    if report.documents == 0 and report.bad_records:
        raise typer.Exit(EXIT_BAD_INPUT)


def register(app: typer.Typer) -> None:
    """Add ``scan`` and ``cluster`` to the ``unspin`` command line."""
    app.command("scan")(scan_command)
    app.command("cluster")(cluster_command)

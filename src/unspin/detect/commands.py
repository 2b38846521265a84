"""``unspin detect``, ``unspin train`` and ``unspin learn``: spin detection on the command line."""

from __future__ import annotations

import functools
import itertools
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text as RichText

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
from unspin.errors import UnspinError
from unspin.schema import to_line

if TYPE_CHECKING:
    from unspin.detect.detector import Detector
    from unspin.model import Detection, Document

VERDICT_STYLES = {
    "spun": "bold white on dark_orange3",
    "uncertain": "bold black on yellow",
    "clean": "bold white on green4",
}
FLAG_STYLE = "bold yellow"

ModelOption = Annotated[
    Path | None,
    typer.Option(
        "--model",
        help="A model file from 'unspin train' (default: the one trained for --db, "
        "else the shipped model).",
    ),
]


def model_path_for(db: Path) -> Path:
    """Where ``unspin train --db DB`` writes its model unless told otherwise."""
    return db.with_name(db.stem + ".detect-model.json.gz")


def render_detection(detection: Detection) -> RenderableType:
    """The text with every flagged word highlighted and its likely originals in brackets."""
    body = RichText()
    position = 0
    for flag in detection.flags:
        body.append(detection.text[position : flag.start])
        body.append(flag.text, FLAG_STYLE)
        if flag.suggestions:
            body.append(f" [{' / '.join(flag.suggestions[:3])}]", "dim yellow")
        position = flag.end
    body.append(detection.text[position:])
    body.rstrip()
    header = RichText.assemble(
        (f" {detection.verdict.upper()} ", VERDICT_STYLES[detection.verdict]),
        f"  {detection.id or '-'}  spin score {detection.spin_score:.2f}, "
        # A flag is a word or a whole phrase ("chew the fat", whose "the" is not judged).
        f"{len(detection.flags)} flagged in {detection.words} judged words",
    )
    legend = RichText.assemble(
        "\n", (" flagged ", FLAG_STYLE), " ", ("[likely original words in brackets]", "dim")
    )
    why = RichText()
    for passage in detection.passages:
        opening = " ".join(detection.text[passage.start : passage.end].split()[:8])
        why.append(
            f"\nspun passage (characters {passage.start}-{passage.end}, "
            f"spin score {passage.spin_score:.2f}): {opening} ...",
            "dim",
        )
    for flag in detection.flags:
        if flag.evidence:
            why.append("\n")
            why.append(flag.text, FLAG_STYLE)
            why.append(": " + "; ".join(flag.evidence), "dim")
    return Panel(Group(body, legend, why), title=header, title_align="left")


def _detector(model: Path | None, db: Path | None, mlm: Path | None = None) -> Detector:
    from unspin.detect.detector import Detector
    from unspin.detect.dictionary import SpinnerDictionary
    from unspin.detect.mlm import MaskedLM

    masked_lm = MaskedLM(mlm) if mlm is not None else None  # first: its errors are the cheapest
    if model is None and db is not None and model_path_for(db).exists():
        model = model_path_for(db)
    dictionary = SpinnerDictionary.load(db) if db is not None else None
    return Detector(model, dictionary=dictionary, mlm=masked_lm)


def _write_detection_report(path: Path, detections: list[tuple[Document, Detection]]) -> None:
    from unspin.html import write_report

    write_report(path, [], detections=detections)


def register(app: typer.Typer) -> None:
    """Add the detection commands to the ``unspin`` app."""

    @app.command()
    @friendly_errors
    def detect(
        inputs: Annotated[
            list[str],
            typer.Argument(help=f"Texts to judge ({INPUTS_HELP}) or - for stdin."),
        ],
        as_json: Annotated[bool, typer.Option("--json", help="One JSON object per text.")] = False,
        model: ModelOption = None,
        db: Annotated[
            Path | None,
            typer.Option(
                "--db", help="An index whose learned spinner dictionary (and model) to use."
            ),
        ] = None,
        site: Annotated[
            str | None, typer.Option(help="Site of texts that carry no 'site' field.")
        ] = None,
        html: Annotated[
            Path | None,
            typer.Option("--html", help="Also write a self-contained HTML report here."),
        ] = None,
        mlm: Annotated[
            Path | None,
            typer.Option(
                "--mlm",
                help="A local Hugging Face masked-LM folder whose word likelihoods add "
                "evidence and order the suggestions (pip install 'unspin\\[mlm]').",
            ),
        ] = None,
    ) -> None:
        """Judge texts without their sources: spin score, swapped words, likely originals."""
        if db is not None and not db.exists():
            raise UnspinError(f"{db}: no such index (create it with 'unspin index')")
        detector = _detector(model, db, mlm)
        report_each(
            inputs,
            lambda d: detector.detect(d.text, site=d.site or site, doc_id=d.id),
            as_json=as_json,
            to_line=to_line,
            render=render_detection,
            summary="judged {} texts",
            html=None if html is None else functools.partial(_write_detection_report, html),
        )

    @app.command()
    @friendly_errors
    def train(
        db: DbOption,
        out_path: Annotated[
            Path | None,
            typer.Option("--out", help="Model file to write (default: next to the index)."),
        ] = None,
        seed: Annotated[int, typer.Option(help="Seed of the spinner that makes examples.")] = 0,
    ) -> None:
        """Train a detection model on the index's own articles (self-supervised)."""
        from unspin.api import Index
        from unspin.detect.train import train_model

        target = out_path or model_path_for(db)
        with Index(db, read_only=True) as index:
            documents = list(index.iter_documents())
        with rate_progress("training") as bar:
            trained = itertools.count(1)
            model = train_model(
                documents,
                seed=seed,
                on_document=lambda: bar.update(next(trained), total=len(documents)),
            )
        model.save(target)
        say(
            f"trained on {len(documents):,} documents "
            f"({model.info['training_swaps']:,} swapped words of "
            f"{model.info['training_words']:,}); model written to {target}"
        )

    @app.command()
    @friendly_errors
    def learn(
        suspects: Annotated[
            list[str],
            typer.Argument(help=f"Copies to check ({INPUTS_HELP}; with 'site') or -."),
        ],
        db: DbOption,
        site: Annotated[
            str | None, typer.Option(help="Site of copies that carry no 'site' field.")
        ] = None,
    ) -> None:
        """Learn spinners' habits from copies whose sources are in the index."""
        from unspin.api import Index
        from unspin.detect.dictionary import SpinnerDictionary

        bad = BadRecordCounter()
        learned = SpinnerDictionary()
        checked = copies = swaps = 0
        with Index(db, read_only=True) as index:
            for document in bad.inputs(suspects):
                found = learned.add_result(index.check(document), document.site or site)
                checked += 1
                copies += found > 0
                swaps += found
        learned.save_counts(db, learned.rows())
        total = SpinnerDictionary.load(db)
        say(
            f"learned {swaps:,} swaps from {copies:,} of {checked:,} suspects "
            f"({bad.count:,} bad records skipped); the dictionary in {db} now holds "
            f"{len(total):,} swaps from {len(total.sites()):,} sites"
        )
        if checked == 0 and bad.count:
            raise typer.Exit(EXIT_BAD_INPUT)

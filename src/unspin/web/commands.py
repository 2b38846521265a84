"""``unspin serve``: run the web app and the HTTP API under uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from unspin.console import DbOption, err, friendly_errors
from unspin.errors import UnspinError


@friendly_errors
def serve(
    db: DbOption,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            envvar="UNSPIN_TOKEN",
            help="Token that writes (adding documents) require; without one, writes are refused.",
        ),
    ] = None,
    lock_reads: Annotated[
        bool, typer.Option("--lock-reads", help="Require the token for reads and pages too.")
    ] = False,
    max_body_mb: Annotated[float, typer.Option(help="Largest request body, in MB.")] = 5.0,
    max_text_chars: Annotated[int, typer.Option(help="Longest text to check or add.")] = 1_000_000,
    heavy_jobs: Annotated[
        int, typer.Option(help="Checks and additions that may run at the same time.")
    ] = 2,
) -> None:
    """Serve the web app (paste a suspect, see the report) and the JSON API under /api."""
    import uvicorn

    from unspin.web import WebSettings, create_app

    if lock_reads and not token:
        raise UnspinError("--lock-reads needs a token (--token or UNSPIN_TOKEN)")
    if heavy_jobs < 1 or max_text_chars < 1 or max_body_mb <= 0:
        raise UnspinError("--heavy-jobs, --max-text-chars and --max-body-mb must be positive")
    settings = WebSettings(
        db=db,
        token=token or None,
        lock_reads=lock_reads,
        max_body_bytes=int(max_body_mb * 1_000_000),
        max_text_chars=max_text_chars,
        heavy_jobs=heavy_jobs,
    )
    app = create_app(settings)
    err.print(f"unspin web app on http://{host}:{port}/ (index {db})", highlight=False)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the ``unspin`` command line."""
    app.command()(serve)

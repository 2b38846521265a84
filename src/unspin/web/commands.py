"""``unspin serve``: run the web app and the HTTP API under uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from unspin.console import DbOption, err, friendly_errors
from unspin.errors import UnspinError
from unspin.report import plain
from unspin.web.store import StoreLimits

_KEEP = StoreLimits()


@friendly_errors
def serve(
    db: DbOption,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
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
    max_body_mb: Annotated[
        float, typer.Option(help="Largest request body, in MB.", min=0.001)
    ] = 5.0,
    max_text_chars: Annotated[
        int, typer.Option(help="Longest text to check or add.", min=1)
    ] = 1_000_000,
    heavy_jobs: Annotated[
        int, typer.Option(help="Checks and additions that may run at the same time.", min=1)
    ] = 2,
    header_timeout: Annotated[
        float, typer.Option(help="Seconds a client has to send a request's headers.", min=0.1)
    ] = 10.0,
    body_timeout: Annotated[
        float, typer.Option(help="Seconds a client then has to send the body.", min=0.1)
    ] = 60.0,
    keep_days: Annotated[
        float, typer.Option(help="Days a stored check is kept.", min=0.0)
    ] = _KEEP.days,
    keep_per_client: Annotated[
        int, typer.Option(help="Stored checks kept per client address (its newest).", min=0)
    ] = _KEEP.per_client,
    keep_checks: Annotated[
        int, typer.Option(help="Stored checks kept in all (the newest).", min=0)
    ] = _KEEP.total,
    keep_mb: Annotated[
        float, typer.Option(help="MB of stored checks' texts and results kept in all.", min=0.0)
    ] = _KEEP.total_mb,
) -> None:
    """Serve the web app (paste a suspect, see the report) and the JSON API under /api.

    The web app stores each check it is asked for (its text and result, for the report
    page and the site pages); the --keep-* options bound what it keeps, oldest first.
    """
    from unspin.web import WebSettings
    from unspin.web.server import make_server

    if lock_reads and not token:
        raise UnspinError("--lock-reads needs a token (--token or UNSPIN_TOKEN)")
    settings = WebSettings(
        db=db,
        token=token or None,
        lock_reads=lock_reads,
        max_body_bytes=int(max_body_mb * 1_000_000),
        max_text_chars=max_text_chars,
        heavy_jobs=heavy_jobs,
        header_timeout_seconds=header_timeout,
        body_timeout_seconds=body_timeout,
        store=StoreLimits(keep_days, keep_per_client, keep_checks, keep_mb),
    )
    server = make_server(settings, host=host, port=port)
    err.print(plain(f"unspin web app on http://{host}:{port}/ (index {db})"), highlight=False)
    server.run()


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the ``unspin`` command line."""
    app.command()(serve)

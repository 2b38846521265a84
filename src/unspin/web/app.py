"""The FastAPI application: pages, the JSON API, limits, tokens and safety headers.

Build one with :func:`create_app`; ``unspin serve`` runs it under uvicorn.

Errors are answered in one shape (JSON for the API, a small page for people):
400 for bad input (:class:`UnspinError`), 501 for a feature that is not
installed (:class:`FeatureUnavailable`), 503 when busy. Anything else is a bug:
it is logged with its traceback and answered 500.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from html import escape
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from unspin.errors import FeatureUnavailable, UnspinError
from unspin.html import CONTENT_SECURITY_POLICY
from unspin.web.service import Busy, WebService, WebSettings

_log = logging.getLogger(__name__)
WWW_AUTHENTICATE = {"WWW-Authenticate": 'Bearer realm="unspin"'}
"""Sent with every 401: how to authenticate (RFC 9110)."""
_SECURITY_HEADERS = {
    # frame-ancestors only counts in a header: a <meta> policy ignores it.
    "Content-Security-Policy": f"{CONTENT_SECURITY_POLICY}; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def create_app(settings: WebSettings) -> FastAPI:
    """The web app over the index file ``settings.db`` (created when missing)."""
    from unspin.web import json_api, pages

    service = WebService(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        service.close()

    app = FastAPI(
        title="unspin",
        summary="Trace copied and synonym-spun news back to its sources.",
        version="1",
        lifespan=lifespan,
        docs_url=None,  # Swagger UI loads scripts from a CDN; /api/docs is served locally
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.service = service
    app.include_router(json_api.router)
    app.include_router(pages.router)
    app.add_middleware(_BodyLimit, max_bytes=settings.max_body_bytes)

    @app.middleware("http")
    async def answer_bugs(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        try:
            return await call_next(request)
        except Exception:
            _log.exception("unexpected error answering %s %s", request.method, request.url.path)
            return error_response(request, 500, "internal error; the server log has the details")

    @app.middleware("http")  # added last, so it runs first: every answer gets the headers
    async def guard(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if settings.lock_reads and not has_token(request, settings):
            response: Response = error_response(request, 401, "this server requires a token")
            response.headers.update(WWW_AUTHENTICATE)
        else:
            response = await call_next(request)
        response.headers.update(_SECURITY_HEADERS)
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        response = error_response(request, error.status_code, str(error.detail))
        response.headers.update(error.headers or {})
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> Response:
        return error_response(request, 422, describe_validation(error))

    @app.exception_handler(FeatureUnavailable)
    async def not_installed(request: Request, error: FeatureUnavailable) -> Response:
        return error_response(request, 501, str(error))

    @app.exception_handler(UnspinError)
    async def bad_input(request: Request, error: UnspinError) -> Response:
        return error_response(request, 400, str(error))

    @app.exception_handler(Busy)
    async def busy(request: Request, _: Busy) -> Response:
        return error_response(request, 503, "the server is busy; try again shortly")

    return app


def has_token(request: Request, settings: WebSettings) -> bool:
    """Whether the request carries the server's token (``Authorization: Bearer``)."""
    if not settings.token:
        return False
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    if scheme.lower() != "bearer":
        value = request.headers.get("x-unspin-token", "")
    return hmac.compare_digest(value.strip().encode(), settings.token.encode())


def error_response(request: Request, status: int, message: str) -> Response:
    """A JSON error for the API, a small HTML page for people."""
    if request.url.path.startswith("/api"):
        return JSONResponse({"error": message, "status": status}, status_code=status)
    from unspin.web.pages import message_page

    return HTMLResponse(message_page(f"Error {status}", escape(message)), status_code=status)


def describe_validation(error: RequestValidationError) -> str:
    """The first validation problem in one line: where and what."""
    problems: list[Any] = list(error.errors())
    if not problems:
        return "invalid request"
    first = problems[0]
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
    return f"{where or 'request'}: {first.get('msg', 'invalid')}"


class _BodyLimit:
    """Refuse request bodies over ``max_bytes`` with 413, before reading them whole."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(scope, receive, send)
            return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    # FastAPI passes HTTPException through body parsing; the handler answers.
                    raise HTTPException(413, self._message())
            return message

        await self.app(scope, counting_receive, send)

    def _message(self) -> str:
        return f"request body too large (limit {self.max_bytes:,} bytes)"

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = self._message()
        response: Response
        if scope["path"].startswith("/api"):
            response = JSONResponse({"error": message, "status": 413}, status_code=413)
        else:
            from unspin.web.pages import message_page

            response = HTMLResponse(message_page("Error 413", escape(message)), status_code=413)
        response.headers.update(_SECURITY_HEADERS)
        await response(scope, receive, send)

"""The HTTP server under the web app: uvicorn, with deadlines for slow clients.

uvicorn closes idle keep-alive connections, but a client that sends its
request headers a byte at a time holds a connection (and a file descriptor)
for as long as it likes: a few hundred such clients starve a server. Here a
connection must deliver a request's headers within ``header_timeout_seconds``
and then its body within ``body_timeout_seconds`` of
:class:`~unspin.web.WebSettings`, or it is closed. Time spent answering the
request does not count.
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from unspin.web.app import create_app
from unspin.web.service import WebSettings


class _DeadlineProtocol(H11Protocol):
    """uvicorn's h11 protocol, closing connections that send a request too slowly."""

    header_timeout = 10.0
    body_timeout = 60.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None
        self._waiting_for: object = None
        """``h11.IDLE`` (for the headers), ``h11.SEND_BODY`` (for the body) or None."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._watch()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._watch()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel()
        super().connection_lost(exc)

    def _watch(self) -> None:
        """Start the clock when the client starts a request's headers or body; stop it when
        the request is in."""
        state = self.conn.their_state
        waiting_for = state if state is h11.IDLE or state is h11.SEND_BODY else None
        if waiting_for is self._waiting_for:
            return
        self._cancel()
        self._waiting_for = waiting_for
        if waiting_for is not None:
            seconds = self.header_timeout if waiting_for is h11.IDLE else self.body_timeout
            self._deadline = self.loop.call_later(seconds, self._too_slow)

    def _cancel(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.transport.close()


def make_server(settings: WebSettings, *, host: str, port: int) -> uvicorn.Server:
    """A uvicorn server for the web app over ``settings``, slow clients timed out."""
    protocol = type(
        "DeadlineProtocol",
        (_DeadlineProtocol,),
        {
            "header_timeout": settings.header_timeout_seconds,
            "body_timeout": settings.body_timeout_seconds,
        },
    )
    config = uvicorn.Config(
        create_app(settings), host=host, port=port, http=protocol, log_level="warning"
    )
    return uvicorn.Server(config)

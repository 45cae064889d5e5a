"""Slow and idle clients: a deadline for the request headers, and a bound on open connections.

uvicorn parses the headers before the application sees a request, and has no header timeout:
a client that trickles one byte every few seconds holds a connection for ever, and a few
thousand of them exhaust the server's file descriptors. :class:`GuardedH11Protocol` is uvicorn's
h11 protocol with two additions: a request's headers must be complete within
``header_timeout`` seconds of the connection opening (or of the previous response on a
keep-alive connection), and a connection accepted while ``max_connections`` are open gets a
503 at once. h11 itself refuses headers larger than :data:`MAX_HEADER_BYTES` (400), so each
waiting connection holds at most that much. All three answer in the course's JSON error shape
and close the connection; the body's own size and time limits are in :mod:`coursekit.server.limits`.
"""

from __future__ import annotations

import asyncio
import functools
import json
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import h11
from starlette.requests import Request
from starlette.types import Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from coursekit.i18n import t
from coursekit.server.errors import ApiError, api_error_response, error_body
from coursekit.server.language import request_language
from coursekit.server.settings import ServerSettings

#: h11's own default, stated: the most a client may send before its headers are complete.
MAX_HEADER_BYTES = 16 * 1024
#: uvicorn's default: an idle keep-alive connection is closed after this many seconds.
KEEP_ALIVE_SECONDS = 5
#: What an overloaded server tells clients to wait before they try again.
RETRY_AFTER_SECONDS = 1


@dataclass(frozen=True)
class ConnectionLimits:
    """What :class:`GuardedH11Protocol` enforces (picklable, so ``--workers`` can pass it on)."""

    header_timeout: float
    max_connections: int


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a header deadline and a connection bound (see the module docstring)."""

    def __init__(self, *args: Any, limits: ConnectionLimits, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limits = limits
        self._header_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        over_limit = len(self.connections) >= self.limits.max_connections  # this one is not counted yet
        super().connection_made(transport)
        if over_limit:
            self.app = overloaded  # every request on this connection gets the 503
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def handle_events(self) -> None:
        super().handle_events()
        if self.conn.their_state is not h11.IDLE:  # a request's headers are complete
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self._arm()  # the next request on this keep-alive connection has the same deadline

    def _arm(self) -> None:
        self._disarm()
        self._header_deadline = self.loop.call_later(self.limits.header_timeout, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def _headers_too_slow(self) -> None:
        self._header_deadline = None
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            return
        self._answer_and_close(408, "header_timeout", seconds=f"{self.limits.header_timeout:g}")

    def send_400_response(self, msg: str) -> None:
        """What h11 cannot parse (a broken request line, headers over :data:`MAX_HEADER_BYTES`) gets the JSON 400 too."""
        self._answer_and_close(400, "bad_request")

    def _answer_and_close(self, status: int, code: str, **values: Any) -> None:
        """An error response written before any application runs, in the server's language."""
        body = json.dumps(error_body(code, t(f"server.{code}", None, **values)), ensure_ascii=False).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), (b"connection", b"close")]
        reason = HTTPStatus(status).phrase.encode()
        try:
            for event in (h11.Response(status_code=status, headers=headers, reason=reason), h11.Data(data=body), h11.EndOfMessage()):
                self.transport.write(self.conn.send(event) or b"")
        except h11.LocalProtocolError:  # a response is already under way: just close
            pass
        self.transport.close()


async def overloaded(scope: Scope, receive: Receive, send: Send) -> None:
    """The ASGI app of a connection over the bound: 503 with ``Retry-After``, then close."""
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Connection": "close"}
    error = ApiError(503, "overloaded", headers=headers, seconds=RETRY_AFTER_SECONDS)
    await api_error_response(error, request_language(Request(scope)))(scope, receive, send)


def uvicorn_options(settings: ServerSettings) -> dict[str, Any]:
    """The ``uvicorn.Config`` options that apply ``settings``' header timeout and connection bound."""
    limits = ConnectionLimits(settings.header_timeout_seconds, settings.max_connections)
    return {
        "http": functools.partial(GuardedH11Protocol, limits=limits),
        "h11_max_incomplete_event_size": MAX_HEADER_BYTES,
        "timeout_keep_alive": KEEP_ALIVE_SECONDS,
    }

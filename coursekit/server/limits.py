"""Refuse request bodies that are too large or too slow, with the JSON 413 or 408, before holding them.

Starlette's own body limit answers in plain text, and FastAPI places it outside every user
middleware, so it cannot be given the course's error shape; this one is small enough to own.
The header timeout and the connection bound live in :mod:`coursekit.server.connections`: the
application only sees a request once its headers are complete.
"""

from __future__ import annotations

import asyncio
import time

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coursekit.server.errors import ApiError, ApiHTTPError, api_error_response
from coursekit.server.language import request_language

#: A refused body may still be arriving: close the connection rather than read the rest.
_CLOSE = {"Connection": "close"}
#: Before answering a declared-too-large body, read and drop this much of it, for at most this
#: long: a socket closed with unread data resets, and the client would see that, not the 413.
DRAIN_BYTES = 1024 * 1024
DRAIN_SECONDS = 2.0


class BodySizeLimit:
    """ASGI middleware: at most ``max_bytes`` of request body, declared or streamed, within ``timeout`` seconds."""

    def __init__(self, app: ASGIApp, max_bytes: int, timeout: float) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            error = ApiError(413, "body_too_large", headers=_CLOSE)
            await _drain(receive, min(DRAIN_SECONDS, self.timeout))
            await api_error_response(error, request_language(Request(scope)))(scope, receive, send)
            return
        received = 0
        deadline = time.monotonic() + self.timeout
        complete = False

        async def guarded_receive() -> Message:
            # The exceptions reach the route's body parsing, which hands them to the JSON error
            # handler. Once the body is complete, receive() only waits for the client to leave
            # (sse-starlette's disconnect watcher), which may take as long as the stream.
            nonlocal received, complete
            if complete:
                return await receive()
            try:
                async with asyncio.timeout(deadline - time.monotonic()):
                    message = await receive()
            except TimeoutError:
                raise ApiHTTPError(ApiError(408, "body_timeout", headers=_CLOSE, seconds=_shown(self.timeout))) from None
            received += len(message.get("body", b""))
            complete = not message.get("more_body", False)
            if received > self.max_bytes:
                # A chunked body has no Content-Length: it is counted as it arrives.
                raise ApiHTTPError(ApiError(413, "body_too_large", headers=_CLOSE))
            return message

        await self.app(scope, guarded_receive, send)


async def _drain(receive: Receive, seconds: float) -> None:
    """Drop up to :data:`DRAIN_BYTES` of a refused body within ``seconds``; a larger or slower one is cut off."""
    dropped = 0
    try:
        async with asyncio.timeout(seconds):
            while dropped <= DRAIN_BYTES:
                message = await receive()
                dropped += len(message.get("body", b""))
                if message["type"] != "http.request" or not message.get("more_body", False):
                    return
    except TimeoutError:
        return


def _shown(seconds: float) -> str:
    """``10.0`` -> ``"10"``, ``0.5`` -> ``"0.5"``: how a person writes a number of seconds."""
    return f"{seconds:g}"

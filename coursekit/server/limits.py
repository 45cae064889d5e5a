"""Refuse oversized request bodies with the JSON 413, before reading them into memory.

Starlette's own body limit answers in plain text, and FastAPI places it outside every user
middleware, so it cannot be given the course's error shape; this one is small enough to own.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coursekit.server.errors import ApiError, api_error_response
from coursekit.server.language import request_language


class BodySizeLimit:
    """ASGI middleware: at most ``max_bytes`` of request body, declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            response = api_error_response(ApiError(413, "body_too_large"), request_language(Request(scope)))
            await response(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            # A chunked body has no Content-Length: count it as it arrives. The exception
            # reaches the route's body parsing, which hands it to the JSON error handler.
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise HTTPException(413)
            return message

        await self.app(scope, counting_receive, send)

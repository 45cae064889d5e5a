"""Day 3 exercise tests talk HTTP to the student's app on a real uvicorn, and read SSE with timing.

An in-process transport (``httpx.ASGITransport``) delivers a streamed body only once it is
complete, so it cannot tell a streaming endpoint from a buffering one. These fixtures start the
app with :class:`coursekit.server.BackgroundServer` on 127.0.0.1 and read its events with
httpx + httpx-sse, stamping each event on arrival with :class:`coursekit.testing.Received`, so
tests compare arrival with what the :class:`~coursekit.testing.ProbeModel` produced, by order.

An exception raised inside the student's app (their ``NotImplementedError``, a ``TypeError``)
is recorded on the server and raised again in the test, so a student reads their own error
rather than "the connection broke".
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from httpx_sse import ServerSentEvent, SSEError, aconnect_sse
from starlette.types import ASGIApp, Receive, Scope, Send

from coursekit.i18n import t
from coursekit.server import BackgroundServer
from coursekit.testing import Received

#: Longest silence accepted between two events: far more than any probe here pauses.
READ_TIMEOUT_SECONDS = 5.0
#: How long the server may take to notice a broken response or a disconnect.
SERVER_GRACE_SECONDS = 5.0


class ErrorRecorder:
    """ASGI middleware that keeps the exceptions escaping the app, for the test to raise.

    They stop here instead of reaching uvicorn: the client still sees what a crash looks like
    (a 500 sent by Starlette, or a connection closed mid-stream), and the traceback is formatted
    once, by pytest. If uvicorn logged it too, two threads would format tracebacks at the same
    moment, which CPython 3.11 before 3.11.8 does not survive ("AST constructor recursion depth
    mismatch", gh-106905).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.errors: list[BaseException] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        except Exception as error:
            self.errors.append(error)


@dataclass
class SSEReply:
    """What a client received from one streaming request."""

    status: int = 0
    content_type: str = ""
    events: list[ServerSentEvent] = field(default_factory=list)
    received: Received = field(default_factory=Received)
    """One update per event, stamped when the client got it."""
    broken: bool = False
    """The connection ended before the response was complete."""

    def named(self, name: str) -> list[ServerSentEvent]:
        return [event for event in self.events if event.event == name]

    def payloads(self, name: str) -> list[Any]:
        """The JSON data of every event called ``name``; a clear failure when one is not JSON."""
        return [_json_data(event) for event in self.named(name)]

    @property
    def token_texts(self) -> list[str]:
        """The ``text`` of every ``token`` event."""
        return [str(payload.get("text")) if isinstance(payload, dict) else str(payload) for payload in self.payloads("token")]


def _json_data(event: ServerSentEvent) -> Any:
    try:
        return json.loads(event.data)
    except json.JSONDecodeError:
        raise AssertionError(t("day3_sse.data_not_json", event=event.event, data=event.data[:80])) from None


class Served:
    """The student's app running on a real server: its URL, and requests that read with timing."""

    def __init__(self, url: str, recorder: ErrorRecorder) -> None:
        self.url = url
        self.recorder = recorder

    async def sse(
        self,
        method: str,
        path: str,
        *,
        stop_after: int | None = None,
        tolerate: type[BaseException] | None = None,
        **request: Any,
    ) -> SSEReply:
        """Stream ``method path`` and collect its events; leave after ``stop_after`` events.

        ``tolerate`` is the type of an error the test injects on purpose (the probe's): when
        it escapes the app and breaks the connection, the reply is marked ``broken`` instead
        of the read failing.
        """
        reply = SSEReply()
        async with httpx.AsyncClient(base_url=self.url, timeout=READ_TIMEOUT_SECONDS) as client:
            try:
                async with aconnect_sse(client, method, path, **request) as source:
                    reply.status = source.response.status_code
                    reply.content_type = source.response.headers.get("content-type", "")
                    if reply.status != 200:
                        await source.response.aread()
                        if reply.status >= 500:
                            await self.raise_app_error()
                        raise AssertionError(t("day3_sse.bad_status", status=reply.status, body=source.response.text[:200]))
                    async for event in source.aiter_sse():
                        reply.events.append(event)
                        reply.received(event.data)
                        if stop_after is not None and len(reply.events) >= stop_after:
                            break
            except SSEError:
                raise AssertionError(t("day3_sse.not_event_stream", content_type=reply.content_type)) from None
            except httpx.ReadTimeout:
                raise AssertionError(t("day3_sse.silent", seconds=READ_TIMEOUT_SECONDS)) from None
            except httpx.TransportError:
                await self.raise_app_error(tolerate)
                if tolerate is None:
                    raise AssertionError(t("day3_sse.connection_broken")) from None
                reply.broken = True
        return reply

    async def post_json(self, path: str, body: dict[str, Any]) -> httpx.Response:
        """A plain request whose whole answer is read at once."""
        async with httpx.AsyncClient(base_url=self.url, timeout=READ_TIMEOUT_SECONDS) as client:
            response = await client.post(path, json=body)
        if response.status_code >= 500:
            await self.raise_app_error()
        return response

    async def wait_until(self, condition: Callable[[], bool], seconds: float = SERVER_GRACE_SECONDS) -> bool:
        """Whether ``condition()`` becomes true within ``seconds``: the server works in its own thread."""
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(0.02)
        return True

    async def raise_app_error(self, tolerate: type[BaseException] | None = None) -> None:
        """Raise the error the app raised, if any (it may be recorded a moment after the client noticed)."""
        await self.wait_until(lambda: bool(self.recorder.errors))
        for error in self.recorder.errors:
            if tolerate is None or not isinstance(error, tolerate):
                raise error


@pytest.fixture
def serve() -> Iterator[Callable[[ASGIApp], Served]]:
    """``serve(app)`` starts the app on a free 127.0.0.1 port; every server stops at teardown."""
    with ExitStack() as servers:

        def start(app: ASGIApp) -> Served:
            recorder = ErrorRecorder(app)
            url = servers.enter_context(BackgroundServer(recorder))
            return Served(url, recorder)

        yield start

"""An HTTP/SSE test client for the student's app on a real uvicorn, reading events as they arrive.

An in-process transport (``httpx.ASGITransport``) delivers a streamed body only once it is
complete, so it cannot tell a streaming endpoint from a buffering one. One
:class:`coursekit.server.BackgroundServer` on 127.0.0.1 serves a whole test module, and each test
mounts its own app on it (``serve(app)``), which spares a server start and stop per test. The
client reads events with httpx + httpx-sse and stamps each one on arrival with
:class:`coursekit.testing.Received`, and the model is a :class:`PacedProbe`, which waits for
that client instead of a clock: tests compare the order of events, never how fast they came.

An exception raised inside the student's app (their ``NotImplementedError``, a ``TypeError``)
is recorded on the server and raised again in the test, so a student reads their own error
rather than "the connection broke".

A day's conftest imports the fixtures (``from coursekit.testing.http import paced, serve,
sse_messages, switchboard``); ``sse_messages`` is the day's folder name, the domain of its
``messages.toml``, which holds the client's messages under the keys in :data:`MESSAGE_KEYS`.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import aclosing, closing
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx
import pytest
from httpx_sse import ServerSentEvent, SSEError, aconnect_sse
from pydantic import PrivateAttr
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from coursekit.i18n import t
from coursekit.testing.observers import Observer, Received
from coursekit.testing.probe import ProbeModel

#: The keys a day's catalogue gives the client's failures (see ``sse_messages``).
MESSAGE_KEYS = ("bad_status", "connection_broken", "data_not_json", "not_event_stream", "silent")

#: Longest silence accepted between two events: far more than any probe here pauses.
READ_TIMEOUT_SECONDS = 5.0
#: How long the server may take to notice a broken response or a disconnect.
SERVER_GRACE_SECONDS = 5.0
#: How long a :class:`PacedProbe` waits for the client, or for the other streams, before it
#: gives up and streams freely. An event crosses loopback in about a millisecond, so only code
#: that holds events back or blocks the server's loop makes the probe wait this long.
PATIENCE_SECONDS = 2.0
#: What a probe waits before its first chunk and between chunks, as a provider would.
FIRST_TOKEN_SECONDS = 0.01
TOKEN_DELAY_SECONDS = 0.002
_POLL_SECONDS = 0.001


class Meeting:
    """Streams that must all be open before any of them goes past its first text chunk."""

    def __init__(self, probes: tuple[ProbeModel, ...], streams: int) -> None:
        self.probes = probes
        self.streams = streams

    def complete(self) -> bool:
        return sum(len(probe.records) for probe in self.probes) >= self.streams


class PacedProbe(ProbeModel):
    """A :class:`ProbeModel` that waits for the test's client, so streaming shows however slow the machine is.

    After a stream's first text chunk, each next chunk waits, if the test asked for it:

    - for the stream's reader (:meth:`follow`): until it has received one event per text chunk
      so far. A server that sends each event at once barely waits; one that holds events back
      keeps the model from finishing first, so the order of events shows it;
    - for a meeting (:meth:`meet`): until all its streams have started. A server whose loop is free
      starts the other requests meanwhile; one that blocks its loop cannot.

    A wait that lasts :data:`PATIENCE_SECONDS` ends the waiting for good: the probe then streams
    freely and the test's order checks say what went wrong.
    """

    time_to_first_token: float = FIRST_TOKEN_SECONDS
    token_delay: float = TOKEN_DELAY_SECONDS

    _readers: list[Observer] = PrivateAttr(default_factory=list)
    _meeting: Meeting | None = PrivateAttr(default=None)
    _waiting: int = PrivateAttr(default=0)
    _gave_up: bool = PrivateAttr(default=False)

    @staticmethod
    def meet(*probes: PacedProbe, streams: int = 2) -> None:
        """Hold every stream of ``probes`` after its first text chunk until ``streams`` streams have started."""
        meeting = Meeting(probes, streams)
        for probe in probes:
            probe._meeting = meeting

    def stall(self) -> PacedProbe:
        """Stop the next stream after its first text chunk, as a model that thinks long does, until cancelled.

        Its reader never reads, so the stream waits there (up to :data:`PATIENCE_SECONDS`): tests
        use it to stop the student's code while that code is waiting for the model.
        """
        self.follow(Observer())
        return self

    def follow(self, reader: Observer) -> None:
        """Pace the next stream (the n-th stream gets the n-th reader) by what ``reader`` has received."""
        self._readers.append(reader)

    @property
    def gave_up(self) -> bool:
        """Whether a wait lasted :data:`PATIENCE_SECONDS`: the probe has been streaming freely since."""
        return self._gave_up

    @property
    def waiting(self) -> bool:
        """Whether a stream is waiting at this moment (for its reader or a meeting)."""
        return self._waiting > 0

    def _recorded(self, chunks: Iterator[Any], via: Literal["stream", "invoke"]) -> Iterator[Any]:
        return super()._recorded(self._gated(chunks), via)

    def _arecorded(self, chunks: AsyncIterator[Any], via: Literal["stream", "invoke"]) -> AsyncIterator[Any]:
        return super()._arecorded(self._agated(chunks), via)

    def _gated(self, chunks: Iterator[Any]) -> Iterator[Any]:
        ready = self._turn(len(self._records) - 1)  # ProbeModel started this stream's record just now
        texts = 0
        with closing(chunks):  # type: ignore[type-var]
            while True:
                if texts and not self._gave_up and not ready(texts):
                    self._wait_blocking(lambda: ready(texts))
                chunk = next(chunks, None)
                if chunk is None:
                    return
                texts += bool(chunk.text)
                yield chunk

    async def _agated(self, chunks: AsyncIterator[Any]) -> AsyncIterator[Any]:
        ready = self._turn(len(self._records) - 1)
        texts = 0
        async with aclosing(chunks):  # type: ignore[type-var]
            while True:
                if texts and not self._gave_up and not ready(texts):
                    await self._wait(lambda: ready(texts))
                chunk = await anext(chunks, None)
                if chunk is None:
                    return
                texts += bool(chunk.text)
                yield chunk

    def _turn(self, stream: int) -> Callable[[int], bool]:
        """The check that lets stream number ``stream`` go on after ``texts`` text chunks."""
        reader = self._readers[stream] if stream < len(self._readers) else None
        meeting = self._meeting

        def ready(texts: int) -> bool:
            return (reader is None or len(reader.updates) >= texts) and (meeting is None or meeting.complete())

        return ready

    async def _wait(self, ready: Callable[[], bool]) -> None:
        deadline = time.monotonic() + PATIENCE_SECONDS
        self._waiting += 1
        try:
            while not ready() and not self._gave_up:
                if time.monotonic() > deadline:
                    self._gave_up = True
                await asyncio.sleep(_POLL_SECONDS)
        finally:
            self._waiting -= 1

    def _wait_blocking(self, ready: Callable[[], bool]) -> None:
        """The same wait in a sync stream: it holds the thread, as the sync stream's own waits do."""
        deadline = time.monotonic() + PATIENCE_SECONDS
        self._waiting += 1
        try:
            while not ready() and not self._gave_up:
                if time.monotonic() > deadline:
                    self._gave_up = True
                time.sleep(_POLL_SECONDS)
        finally:
            self._waiting -= 1


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


class Switchboard:
    """The module's one server hands each request to the app of the test now running."""

    def __init__(self) -> None:
        self.app: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        app = self.app or PlainTextResponse("no app mounted", status_code=503)
        await app(scope, receive, send)


@dataclass
class SSEReply:
    """What a client received from one streaming request."""

    messages: str
    """The catalogue domain of the failure messages (``sse_messages``)."""
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
        return [self._json_data(event) for event in self.named(name)]

    @property
    def names(self) -> list[str]:
        return [event.event for event in self.events]

    @property
    def token_texts(self) -> list[str]:
        """The ``text`` of every ``token`` event."""
        return [str(payload.get("text")) if isinstance(payload, dict) else str(payload) for payload in self.payloads("token")]

    def _json_data(self, event: ServerSentEvent) -> Any:
        try:
            return json.loads(event.data)
        except json.JSONDecodeError:
            message = t(f"{self.messages}.data_not_json", event=event.event, data=event.data[:80])
            raise AssertionError(message) from None




class Served:
    """The student's app running on a real server: requests that read events as they arrive."""

    def __init__(self, client: httpx.AsyncClient, recorder: ErrorRecorder, messages: str) -> None:
        self.client = client
        self.recorder = recorder
        self.messages = messages

    async def sse(
        self,
        method: str,
        path: str,
        *,
        stop_after: int | None = None,
        tolerate: type[BaseException] | None = None,
        lockstep: PacedProbe | None = None,
        **request: Any,
    ) -> SSEReply:
        """Stream ``method path`` and collect its events; leave after ``stop_after`` events.

        ``tolerate`` is the type of an error the test injects on purpose (the probe's): when
        it escapes the app and breaks the connection, the reply is marked ``broken`` instead
        of the read failing. ``lockstep`` is a probe that this reader paces (:meth:`PacedProbe.follow`).
        """
        reply = SSEReply(self.messages)
        if lockstep is not None:
            lockstep.follow(reply.received)
        try:
            async with aconnect_sse(self.client, method, path, **request) as source:
                reply.status = source.response.status_code
                reply.content_type = source.response.headers.get("content-type", "")
                if reply.status != 200:
                    await source.response.aread()
                    if reply.status >= 500:
                        await self.raise_app_error()
                    raise AssertionError(t(f"{self.messages}.bad_status", status=reply.status, body=source.response.text[:200]))
                async for event in source.aiter_sse():
                    reply.events.append(event)
                    reply.received(event.data)
                    if stop_after is not None and len(reply.events) >= stop_after:
                        break
        except SSEError:
            raise AssertionError(t(f"{self.messages}.not_event_stream", content_type=reply.content_type)) from None
        except httpx.ReadTimeout:
            raise AssertionError(t(f"{self.messages}.silent", seconds=READ_TIMEOUT_SECONDS)) from None
        except httpx.TransportError:
            await self.raise_app_error(tolerate)
            if tolerate is None:
                raise AssertionError(t(f"{self.messages}.connection_broken")) from None
            reply.broken = True
        return reply

    async def post_json(self, path: str, body: dict[str, Any], **request: Any) -> httpx.Response:
        """A plain request whose whole answer is read at once; ``request`` goes to httpx (``headers=``)."""
        response = await self.client.post(path, json=body, **request)
        if response.status_code >= 500:
            await self.raise_app_error()
        return response

    async def wait_until(self, condition: Callable[[], bool], seconds: float = SERVER_GRACE_SECONDS) -> bool:
        """Whether ``condition()`` becomes true within ``seconds``: the server works in its own thread."""
        return await wait_until(condition, seconds)

    async def raise_app_error(self, tolerate: type[BaseException] | None = None) -> None:
        """Raise the error the app raised, if any (it may be recorded a moment after the client noticed)."""
        await self.wait_until(lambda: bool(self.recorder.errors))
        for error in self.recorder.errors:
            if tolerate is None or not isinstance(error, tolerate):
                raise error


async def wait_until(condition: Callable[[], bool], seconds: float = SERVER_GRACE_SECONDS) -> bool:
    """Whether ``condition()`` becomes true within ``seconds``, checked every few milliseconds."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.002)
    return True


@pytest.fixture
def paced() -> type[PacedProbe]:
    """:class:`PacedProbe`, for test modules, with its :meth:`~PacedProbe.meet` at hand."""
    return PacedProbe


@pytest.fixture
def sse_messages(request: pytest.FixtureRequest) -> str:
    """The catalogue domain of the client's failures: the day's folder, whose ``messages.toml`` holds them."""
    return request.path.parent.name


@pytest.fixture(scope="module")
def switchboard() -> Iterator[tuple[Switchboard, str]]:
    """One server for the whole test module, and its URL."""
    from coursekit.server.background import BackgroundServer  # the server package is heavy: load it only here

    board = Switchboard()
    with BackgroundServer(board) as url:
        yield board, url


@pytest.fixture
async def serve(switchboard: tuple[Switchboard, str], sse_messages: str) -> AsyncIterator[Callable[[ASGIApp], Served]]:
    """``serve(app)`` mounts the test's app on the module's server (one app per test)."""
    board, url = switchboard
    # No TLS on loopback; verify=False also spares loading the CA bundle (50 ms) per client.
    async with httpx.AsyncClient(base_url=url, timeout=READ_TIMEOUT_SECONDS, verify=False) as client:

        def mount(app: ASGIApp) -> Served:
            recorder = ErrorRecorder(app)
            board.app = recorder
            return Served(client, recorder, sse_messages)

        try:
            yield mount
        finally:
            board.app = None

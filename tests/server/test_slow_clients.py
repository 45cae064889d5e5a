"""Slow and idle clients are cut off, and what each one can make the server hold is bounded.

The deadlines are set tiny here (half a second) so that no test waits long; the checks are on
what happens (a 408, a closed connection, the server's connection count back to zero), with
generous upper bounds that only catch a connection that is never cut.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from contextlib import ExitStack

import httpx
import pytest

from coursekit.server import BackgroundServer, ServerSettings, create_app, uvicorn_options
from coursekit.server.connections import MAX_HEADER_BYTES
from coursekit.testing import ProbeModel
from coursekit.testing.http import wait_until

#: Far longer than the deadlines: a connection still open after this was never going to be cut.
NEVER_SECONDS = 30.0
TINY = 0.5


@pytest.fixture
def guarded() -> Iterator[Callable[..., BackgroundServer]]:
    """``guarded(**settings)`` starts a server with those limits, as ``coursekit serve`` applies them."""
    with ExitStack() as servers:

        def start(**limits: float) -> BackgroundServer:
            settings = ServerSettings(jwt_secret="slow-clients-secret-0123456789abcdef", **limits)
            server = BackgroundServer(create_app(model=ProbeModel(token_delay=0.0), settings=settings), **uvicorn_options(settings))
            servers.enter_context(server)
            return server

        yield start


async def trickle(port: int, head: bytes, drip: bytes) -> bytes:
    """Send ``head``, then ``drip`` one byte every 50 ms until the server closes; return what it answered.

    The server closes while bytes are still coming, so the client may see a reset: what arrived
    before it is kept, as a browser keeps a response that came before the connection broke.
    """
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    answer = bytearray()

    async def read_until_closed() -> None:
        try:
            while chunk := await reader.read(65536):
                answer.extend(chunk)
        except ConnectionError:
            pass

    reading = asyncio.ensure_future(read_until_closed())
    try:
        async with asyncio.timeout(NEVER_SECONDS):
            writer.write(head)
            for index in range(len(drip)):
                if reading.done():
                    break
                writer.write(drip[index:index + 1])
                await asyncio.sleep(0.05)
            await reading
    except ConnectionError:  # writing to the closed connection
        await asyncio.wait_for(reading, NEVER_SECONDS)
    finally:
        writer.close()
    return bytes(answer)


def error_of(answer: bytes) -> tuple[int, dict]:
    """The status and the JSON error of a raw HTTP answer."""
    head, _, body = answer.partition(b"\r\n\r\n")
    assert b"connection: close" in head.lower(), head
    return int(head.split()[1]), json.loads(body)["error"]


async def test_clients_that_trickle_their_headers_are_cut_off(guarded):
    server = guarded(header_timeout_seconds=TINY)
    head = b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    drip = b"X-Slow: " + b"a" * 5000  # 250 s of trickling, if nobody stops it
    answers = await asyncio.gather(*(trickle(server.port, head, drip) for _ in range(50)))
    for answer in answers:
        status, error = error_of(answer)
        assert (status, error["code"]) == (408, "header_timeout")
    # Nothing is left behind: every connection (and its buffer) is gone.
    assert await wait_until(lambda: server.open_connections == 0, NEVER_SECONDS), f"{server.open_connections} still open"


async def test_the_next_request_on_a_kept_alive_connection_has_the_same_deadline(guarded):
    server = guarded(header_timeout_seconds=TINY)
    first = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    answer = await trickle(server.port, first + b"GET /health HTTP/1.1\r\n", b"X-Slow: " + b"a" * 5000)
    assert answer.count(b"HTTP/1.1 ") == 2
    status, error = error_of(answer[answer.rindex(b"HTTP/1.1 "):])
    assert (status, error["code"]) == (408, "header_timeout")


@pytest.mark.parametrize("drip", [b"", b'{"username": "admin", "password": "' + b"a" * 5000], ids=["sends-nothing", "trickles"])
async def test_a_body_that_does_not_arrive_is_cut_off(guarded, drip):
    server = guarded(body_timeout_seconds=TINY)
    head = b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n"
    answers = await asyncio.gather(*(trickle(server.port, head, drip) for _ in range(20)))
    for answer in answers:
        status, error = error_of(answer)
        assert (status, error["code"]) == (408, "body_timeout")
    assert await wait_until(lambda: server.open_connections == 0, NEVER_SECONDS)


async def test_headers_that_never_end_are_refused_at_the_size_limit_not_buffered(guarded):
    """A connection can make the server hold at most MAX_HEADER_BYTES of headers: the 400 comes at the limit,
    long before the (default, 10 s) deadline."""
    server = guarded()
    head = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
    answer = await trickle(server.port, head + b"a" * (MAX_HEADER_BYTES + 1024), b"a" * 5000)
    status, error = error_of(answer)
    assert (status, error["code"]) == (400, "bad_request")


async def test_connections_over_the_bound_get_a_503_until_one_closes(guarded):
    server = guarded(max_connections=5)
    idle = [await asyncio.open_connection("127.0.0.1", server.port) for _ in range(5)]
    assert await wait_until(lambda: server.open_connections == 5, NEVER_SECONDS)
    async with httpx.AsyncClient(base_url=server.url, verify=False) as http:
        refused = await http.get("/health")
        assert refused.status_code == 503
        assert refused.headers["retry-after"] == "1"
        assert refused.json()["error"]["code"] == "overloaded"
        for _, writer in idle:
            writer.close()
        assert await wait_until(lambda: server.open_connections == 0, NEVER_SECONDS)
        assert (await http.get("/health")).status_code == 200

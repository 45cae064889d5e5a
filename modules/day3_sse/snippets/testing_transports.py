"""Three ways to test a streaming endpoint; only two of them show the stream as a stream."""

import asyncio
import time
from collections.abc import AsyncIterator

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx_sse import aconnect_sse, connect_sse
from sse_starlette import EventSourceResponse

from coursekit import FakeStreamingChatModel
from coursekit.server import BackgroundServer

model = FakeStreamingChatModel(responses=[" ".join(["word"] * 30)], token_delay=0.03)  # about 0.9 s of tokens
app = FastAPI()


async def pieces() -> AsyncIterator[str]:
    async for chunk in model.astream("hi"):
        if chunk.text:
            yield chunk.text


@app.get("/events")
async def events() -> EventSourceResponse:
    return EventSourceResponse(pieces())


def report(name: str, arrivals: list[float]) -> None:
    first, last = arrivals[0], arrivals[-1]
    shape = "one at a time" if first < last / 2 else "all at once, at the end"
    print(f"{name:<22} {len(arrivals)} events, first after {first:.2f} s, last after {last:.2f} s: {shape}")


async def with_asgi_transport() -> list[float]:
    """In-process and async: but it reads the whole body before handing any of it over."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        start, arrivals = time.perf_counter(), []
        async with aconnect_sse(client, "GET", "/events") as source:
            async for _ in source.aiter_sse():
                arrivals.append(time.perf_counter() - start)
    return arrivals


def with_test_client() -> list[float]:
    """Starlette's TestClient runs the app in a thread and passes each chunk on as it comes."""
    with TestClient(app) as client:
        start, arrivals = time.perf_counter(), []
        with connect_sse(client, "GET", "/events") as source:
            for _ in source.iter_sse():
                arrivals.append(time.perf_counter() - start)
    return arrivals


async def with_uvicorn() -> list[float]:
    """A real server on 127.0.0.1: sockets, HTTP framing and disconnects, as in production."""
    with BackgroundServer(app) as url:
        async with httpx.AsyncClient() as client:
            start, arrivals = time.perf_counter(), []
            async with aconnect_sse(client, "GET", f"{url}/events") as source:
                async for _ in source.aiter_sse():
                    arrivals.append(time.perf_counter() - start)
    return arrivals


async def main() -> None:
    report("httpx.ASGITransport", await with_asgi_transport())
    report("TestClient", await asyncio.to_thread(with_test_client))
    report("uvicorn on 127.0.0.1", await with_uvicorn())


asyncio.run(main())

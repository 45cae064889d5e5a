"""One blocking call inside an async generator stalls every client of the server."""

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from typing import Literal

import httpx
from fastapi import FastAPI
from fastapi.responses import StreamingResponse

from coursekit import FakeStreamingChatModel
from coursekit.server import BackgroundServer

model = FakeStreamingChatModel.realistic(responses=["Twenty words or so, written one token at a time by a model that is never in a hurry."])
app = FastAPI()


async def astream_pieces(prompt: str) -> AsyncIterator[str]:
    """Right: while it waits for a token, the event loop serves the other clients."""
    async for chunk in model.astream(prompt):
        yield chunk.text


async def blocking_pieces(prompt: str) -> AsyncIterator[str]:
    """Wrong: model.stream() waits without awaiting, and the whole event loop waits with it."""
    for chunk in model.stream(prompt):
        yield chunk.text


def sync_pieces(prompt: str) -> Iterator[str]:
    """Serves clients at once (Starlette runs it in a worker thread, one per stream), but a client
    that leaves never closes it: model.stream() stays open until the garbage collector gets to it."""
    for chunk in model.stream(prompt):
        yield chunk.text


GENERATORS = {"astream": astream_pieces, "blocking": blocking_pieces, "sync": sync_pieces}


@app.get("/{kind}")
async def stream(kind: Literal["astream", "blocking", "sync"], prompt: str) -> StreamingResponse:
    return StreamingResponse(GENERATORS[kind](prompt), media_type="text/plain")


async def timed(client: httpx.AsyncClient, url: str) -> float:
    """Seconds to read one whole streamed answer."""
    start = time.perf_counter()
    async with client.stream("GET", url, params={"prompt": "hi"}) as response:
        async for _ in response.aiter_text():
            pass
    return time.perf_counter() - start


async def main() -> None:
    with BackgroundServer(app) as url:
        async with httpx.AsyncClient(timeout=30) as client:
            alone = await timed(client, f"{url}/astream")
            print(f"one client alone: {alone:.1f} s")
            for kind in GENERATORS:
                start = time.perf_counter()
                await asyncio.gather(*(timed(client, f"{url}/{kind}") for _ in range(3)))
                together = time.perf_counter() - start
                verdict = "served one after the other" if together > 2 * alone else "served at the same time"
                print(f"3 clients, {kind:>8} generator: {together:.1f} s, {verdict}")


asyncio.run(main())

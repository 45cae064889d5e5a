"""An SSE endpoint with no SSE library: StreamingResponse, the right headers, frames by hand."""

import asyncio
import json
from collections.abc import AsyncIterator

import httpx
from fastapi import FastAPI
from fastapi.responses import StreamingResponse
from httpx_sse import aconnect_sse

from coursekit import FakeStreamingChatModel
from coursekit.server import BackgroundServer

model = FakeStreamingChatModel(responses=["Frames by hand."], token_delay=0.05)
app = FastAPI()

SSE_HEADERS = {
    "Cache-Control": "no-cache",  # never serve a stored copy of a live stream
    "X-Accel-Buffering": "no",  # nginx: pass each write on at once instead of buffering it
}


def sse_frame(data: str, event: str | None = None) -> str:
    """``event:`` if given, one ``data:`` line per line of text, and the blank line."""
    return (f"event: {event}\n" if event else "") + "".join(f"data: {line}\n" for line in data.split("\n")) + "\n"


async def events(prompt: str) -> AsyncIterator[str]:
    tokens = 0
    async for chunk in model.astream(prompt):
        if chunk.text:
            tokens += 1
            yield sse_frame(json.dumps({"text": chunk.text}), event="token")
    yield sse_frame(json.dumps({"tokens": tokens}), event="done")


@app.get("/events")
async def stream(prompt: str) -> StreamingResponse:
    return StreamingResponse(events(prompt), media_type="text/event-stream", headers=SSE_HEADERS)


async def main() -> None:
    with BackgroundServer(app) as url:
        async with httpx.AsyncClient() as client:
            print("=== the bytes on the wire, as curl -N shows them:")
            async with client.stream("GET", f"{url}/events", params={"prompt": "hi"}) as response:
                for header in ("content-type", "cache-control", "x-accel-buffering"):
                    print(f"{header}: {response.headers[header]}")
                async for raw in response.aiter_raw():
                    print(repr(raw.decode()))

            print("=== the same stream, parsed by httpx-sse:")
            async with aconnect_sse(client, "GET", f"{url}/events", params={"prompt": "hi"}) as source:
                async for sse in source.aiter_sse():
                    print(f"event={sse.event!r} data={sse.data!r}")


asyncio.run(main())

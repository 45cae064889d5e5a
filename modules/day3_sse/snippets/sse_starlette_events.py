"""sse-starlette's EventSourceResponse: named events with JSON data and ids, plus keep-alive pings."""

import asyncio
from collections.abc import AsyncIterator

import httpx
from fastapi import FastAPI
from sse_starlette import EventSourceResponse, JSONServerSentEvent  # not fastapi.sse: a different class

from coursekit import FakeStreamingChatModel
from coursekit.server import BackgroundServer

# A model that thinks for half a second before its first token, to leave room for pings.
model = FakeStreamingChatModel(responses=["Named events, JSON data."], time_to_first_token=0.5, token_delay=0.05)
app = FastAPI()


async def token_events(prompt: str) -> AsyncIterator[JSONServerSentEvent]:
    tokens = 0
    async for chunk in model.astream(prompt):
        if chunk.text:
            tokens += 1
            yield JSONServerSentEvent({"text": chunk.text}, event="token", id=str(tokens))
    yield JSONServerSentEvent({"tokens": tokens}, event="done")


@app.get("/events")
async def events(prompt: str) -> EventSourceResponse:
    # ping=0.2 only to show pings here; the default, 15 s, suits real proxies.
    return EventSourceResponse(token_events(prompt), ping=0.2)


async def main() -> None:
    with BackgroundServer(app) as url:
        async with httpx.AsyncClient() as client:
            async with client.stream("GET", f"{url}/events", params={"prompt": "hi"}) as response:
                for header in ("content-type", "cache-control", "x-accel-buffering"):
                    print(f"{header}: {response.headers[header]}")
                async for line in response.aiter_lines():
                    print(line)


asyncio.run(main())

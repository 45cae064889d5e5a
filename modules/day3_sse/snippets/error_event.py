"""A model that fails mid-stream: a broken connection, or an error event the client understands."""

import asyncio
import logging
from collections.abc import AsyncIterator

import httpx
from fastapi import FastAPI
from httpx_sse import aconnect_sse
from sse_starlette import EventSourceResponse, JSONServerSentEvent

from coursekit import FakeStreamingChatModel
from coursekit.server import BackgroundServer

model = FakeStreamingChatModel(responses=["This answer will not make it to the end."], error_after=4)
app = FastAPI()
logger = logging.getLogger("chat")


async def naive_events(prompt: str) -> AsyncIterator[JSONServerSentEvent]:
    async for chunk in model.astream(prompt):
        if chunk.text:
            yield JSONServerSentEvent({"text": chunk.text}, event="token")
    yield JSONServerSentEvent({}, event="done")


async def safe_events(prompt: str) -> AsyncIterator[JSONServerSentEvent]:
    tokens = 0
    try:
        async for chunk in model.astream(prompt):
            if chunk.text:
                tokens += 1
                yield JSONServerSentEvent({"text": chunk.text}, event="token")
    except Exception:  # not BaseException: a client's disconnect must still cancel us
        logger.exception("model failed after %d tokens", tokens)  # the details stay in the log
        yield JSONServerSentEvent({"message": "The answer was interrupted.", "tokens": tokens}, event="error")
        return
    yield JSONServerSentEvent({"tokens": tokens}, event="done")


@app.get("/naive")
async def naive(prompt: str) -> EventSourceResponse:
    return EventSourceResponse(naive_events(prompt))


@app.get("/safe")
async def safe(prompt: str) -> EventSourceResponse:
    return EventSourceResponse(safe_events(prompt))


async def read(client: httpx.AsyncClient, url: str) -> None:
    events = []
    try:
        async with aconnect_sse(client, "GET", url, params={"prompt": "hi"}) as source:
            async for sse in source.aiter_sse():
                events.append(sse.event)
                if sse.event == "error":
                    print(f"  error event: {sse.data}")
    except httpx.RemoteProtocolError as error:
        print(f"  the connection broke: {error}")
    print(f"  events received: {events}")


async def main() -> None:
    # log_level="critical" hides the traceback uvicorn prints for /naive; a real server logs it.
    with BackgroundServer(app, log_level="critical") as url:
        async with httpx.AsyncClient() as client:
            print("/naive, the exception escapes the generator:")
            await read(client, f"{url}/naive")
            print("/safe, the generator catches it and sends an error event:")
            await read(client, f"{url}/safe")


logging.basicConfig(format="  server log: %(message)s")
asyncio.run(main())

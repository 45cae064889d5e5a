"""When the client leaves, sse-starlette cancels the generator: clean up in finally."""

import asyncio
import threading
from collections.abc import AsyncIterator

import httpx
from fastapi import FastAPI
from httpx_sse import aconnect_sse
from sse_starlette import EventSourceResponse, JSONServerSentEvent

from coursekit import FakeStreamingChatModel
from coursekit.server import BackgroundServer

model = FakeStreamingChatModel(responses=["word " * 100], token_delay=0.05)  # 5 s of answer
app = FastAPI()
cleaned_up = threading.Event()  # the server runs in another thread; this tells the client it is done


async def token_events(prompt: str) -> AsyncIterator[JSONServerSentEvent]:
    tokens = 0
    try:
        async for chunk in model.astream(prompt):
            if chunk.text:
                tokens += 1
                yield JSONServerSentEvent({"text": chunk.text}, event="token", id=str(tokens))
        yield JSONServerSentEvent({"tokens": tokens}, event="done")
    except (asyncio.CancelledError, GeneratorExit) as stop:
        # CancelledError: stopped while awaiting the model; GeneratorExit: stopped at a yield.
        print(f"server: the client left after {tokens} tokens ({type(stop).__name__})")
        raise  # never swallow either: the model call must stop too
    finally:
        print("server: finally runs, whatever happened: release what the stream holds here")
        cleaned_up.set()


@app.get("/events")
async def events(prompt: str) -> EventSourceResponse:
    return EventSourceResponse(token_events(prompt))


async def main() -> None:
    with BackgroundServer(app) as url:
        async with httpx.AsyncClient() as client:
            async with aconnect_sse(client, "GET", f"{url}/events", params={"prompt": "hi"}) as source:
                async for sse in source.aiter_sse():
                    if sse.id == "3":
                        print("client: got 3 tokens, leaving (like closing the browser tab)")
                        break
        print("client: cleaned up on the server:", await asyncio.to_thread(cleaned_up.wait, 5))


asyncio.run(main())

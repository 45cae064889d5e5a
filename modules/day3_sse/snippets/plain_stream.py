"""A FastAPI endpoint that streams plain text from an async generator over astream()."""

import asyncio
import time
from collections.abc import AsyncIterator

import httpx
from fastapi import FastAPI
from fastapi.responses import StreamingResponse

from coursekit import FakeStreamingChatModel
from coursekit.server import BackgroundServer

ANSWER = (
    "A streaming endpoint keeps the HTTP response open and writes each piece of the answer "
    "into it as soon as the model produces it, so the reader never stares at an empty page "
    "while the rest of the answer is still being written."
)

# --- the server --------------------------------------------------------------------------
model = FakeStreamingChatModel.realistic(responses=[ANSWER])  # or get_chat_model()
app = FastAPI()


async def answer_pieces(prompt: str) -> AsyncIterator[str]:
    """Yield each piece of the answer the moment the model writes it."""
    async for chunk in model.astream(prompt):
        if chunk.text:
            yield chunk.text


@app.get("/stream")
async def stream(prompt: str) -> StreamingResponse:
    return StreamingResponse(answer_pieces(prompt), media_type="text/plain; charset=utf-8")


# --- a client that shows when each piece arrives -------------------------------------------
async def main() -> None:
    with BackgroundServer(app) as url:  # uvicorn on 127.0.0.1, in a background thread
        async with httpx.AsyncClient() as client:
            start = time.perf_counter()
            arrivals = []
            async with client.stream("GET", f"{url}/stream", params={"prompt": "What is a stream?"}) as response:
                print("Content-Type:", response.headers["content-type"])
                async for piece in response.aiter_text():
                    arrivals.append(time.perf_counter() - start)
                    print(piece, end="", flush=True)
    first, last = arrivals[0], arrivals[-1]
    print(f"\n\n{len(arrivals)} pieces: the first after {first:.2f} s, the last after {last:.2f} s")
    print(f"The reader starts {last / first:.0f}x sooner than with a buffered response")


asyncio.run(main())

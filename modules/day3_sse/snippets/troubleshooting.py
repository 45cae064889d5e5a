"""Four classic failures: a 401, the wrong media type, frames formatted twice, a client that waits."""

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Annotated

import httpx
from fastapi import Depends, FastAPI, HTTPException
from fastapi.responses import StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from httpx_sse import SSEError, aconnect_sse
from sse_starlette import EventSourceResponse

from coursekit import FakeStreamingChatModel
from coursekit.server import BackgroundServer

model = FakeStreamingChatModel.realistic(responses=["About twenty tokens take a second to write at the pace of a hosted model."])
app = FastAPI()


def check_token(credentials: Annotated[HTTPAuthorizationCredentials, Depends(HTTPBearer())]) -> None:
    """HTTPBearer() answers 401 by itself when the header is missing or not "Bearer <token>"."""
    if credentials.credentials != "let-me-in":
        raise HTTPException(401, "Invalid token", headers={"WWW-Authenticate": "Bearer"})


async def pieces() -> AsyncIterator[str]:
    async for chunk in model.astream("hi"):
        if chunk.text:
            yield chunk.text


async def frames() -> AsyncIterator[str]:
    async for text in pieces():
        yield f"data: {text}\n\n"


@app.get("/protected", dependencies=[Depends(check_token)])
async def protected() -> EventSourceResponse:
    return EventSourceResponse(pieces())


@app.get("/wrong-type")
async def wrong_type() -> StreamingResponse:
    return StreamingResponse(frames(), media_type="text/plain")  # should be text/event-stream


@app.get("/twice")
async def twice() -> EventSourceResponse:
    return EventSourceResponse(frames())  # EventSourceResponse writes the frames itself: yield the text


async def main() -> None:
    with BackgroundServer(app) as url:
        async with httpx.AsyncClient(base_url=url) as client:
            print("1. A 401: look at the Authorization header")
            for auth in (None, "Token let-me-in", "Bearer let-me-out", "Bearer let-me-in"):
                response = await client.get("/protected", headers={"Authorization": auth} if auth else {})
                detail = response.json()["detail"] if response.status_code == 401 else "streams"
                print(f"   {auth or '(no header)':<18} -> {response.status_code} {detail}")

            print("2. The wrong media type")
            try:
                async with aconnect_sse(client, "GET", "/wrong-type") as source:
                    async for _ in source.aiter_sse():
                        pass
            except SSEError as error:
                print(f"   httpx-sse refuses it: {error}")

            print("3. Frames formatted twice")
            async with aconnect_sse(client, "GET", "/twice") as source:
                first = await anext(source.aiter_sse())
                print(f"   the first event's data is {first.data!r}, not 'About'")

            print("4. A client that waits for the whole body, like curl without -N")
            start = time.perf_counter()
            response = await client.get("/protected", headers={"Authorization": "Bearer let-me-in"})
            print(f"   client.get():    nothing for {time.perf_counter() - start:.2f} s, then all {len(response.text)} bytes")
            start = time.perf_counter()
            async with client.stream("GET", "/protected", headers={"Authorization": "Bearer let-me-in"}) as response:
                await anext(response.aiter_text())
                print(f"   client.stream(): the first bytes after {time.perf_counter() - start:.2f} s")


asyncio.run(main())

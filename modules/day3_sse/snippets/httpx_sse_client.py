"""Consume SSE from Python with httpx-sse, here from the course's reference server."""

import asyncio
import json
import time

import httpx
from httpx_sse import aconnect_sse

from coursekit import FakeStreamingChatModel
from coursekit.server import BackgroundServer, create_app

# The same server as `python -m coursekit serve`, with a model chosen here.
app = create_app(model=FakeStreamingChatModel.realistic(responses=["httpx-sse turns the byte stream back into events."]))


async def main() -> None:
    with BackgroundServer(app) as url:
        async with httpx.AsyncClient(base_url=url, timeout=httpx.Timeout(10, read=60)) as client:
            login = await client.post("/login", json={"username": "admin", "password": "admin123"})
            headers = {"Authorization": f"Bearer {login.json()['access_token']}"}

            start = time.perf_counter()
            text = ""
            async with aconnect_sse(client, "POST", "/api/generate", json={"prompt": "hi"}, headers=headers) as source:
                async for sse in source.aiter_sse():  # one ServerSentEvent per frame, as it arrives
                    payload = json.loads(sse.data)
                    print(f"{time.perf_counter() - start:5.2f} s  id={sse.id or '-':>2}  {sse.event:<5}  {payload}")
                    if sse.event == "token":
                        text += payload["text"]
                    elif sse.event == "error":
                        raise RuntimeError(payload["error"]["message"])
    print("answer:", text)


asyncio.run(main())

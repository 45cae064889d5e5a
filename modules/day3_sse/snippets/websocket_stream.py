"""The same stream over a WebSocket: one JSON message per token, then an end marker."""

import asyncio
import json

from fastapi import FastAPI, WebSocket, WebSocketDisconnect
from websockets.asyncio.client import connect

from coursekit import FakeStreamingChatModel
from coursekit.server import BackgroundServer

model = FakeStreamingChatModel.realistic(rules={"first": "Both ways, one socket.", "second": "Then ask again."})
app = FastAPI()


@app.websocket("/ws")
async def chat(websocket: WebSocket) -> None:
    await websocket.accept()
    try:
        while True:  # one connection, many questions: that is what WebSockets add over SSE
            question = await websocket.receive_text()
            async for chunk in model.astream(question):
                if chunk.text:
                    await websocket.send_json({"type": "token", "text": chunk.text})
            await websocket.send_json({"type": "end"})  # the socket stays open: mark where the answer ends
    except WebSocketDisconnect:
        pass  # the client left; nothing to clean up here


async def main() -> None:
    with BackgroundServer(app) as url:
        async with connect(url.replace("http://", "ws://") + "/ws") as socket:
            for question in ("first question", "second question"):
                await socket.send(question)
                print(f"{question}: ", end="")
                while (message := json.loads(await socket.recv()))["type"] != "end":
                    print(message["text"], end="", flush=True)
                print("  [end]")


asyncio.run(main())

"""Sends the bare text as data (a dict event), not the JSON {"text": ...} the client parses."""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
from sse_starlette import EventSourceResponse, JSONServerSentEvent


async def token_events(model: BaseChatModel, prompt: str) -> AsyncIterator[dict]:
    tokens = 0
    async for chunk in model.astream(prompt):
        if chunk.text:
            tokens += 1
            yield {"event": "token", "id": str(tokens), "data": chunk.text}
    yield {"event": "done", "data": str(tokens)}


def create_app(model: BaseChatModel) -> FastAPI:
    app = FastAPI()

    @app.get("/stream")
    async def stream(prompt: str) -> EventSourceResponse:
        return EventSourceResponse(token_events(model, prompt))

    return app

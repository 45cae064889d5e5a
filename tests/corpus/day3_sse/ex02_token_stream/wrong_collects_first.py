"""Collects every event first and yields them after the loop, so nothing leaves before the answer ends."""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
from sse_starlette import EventSourceResponse, JSONServerSentEvent


async def token_events(model: BaseChatModel, prompt: str) -> AsyncIterator[JSONServerSentEvent]:
    events = []
    async for chunk in model.astream(prompt):
        if chunk.text:
            events.append(JSONServerSentEvent({"text": chunk.text}, event="token", id=str(len(events) + 1)))
    for event in events:
        yield event
    yield JSONServerSentEvent({"tokens": len(events)}, event="done")


def create_app(model: BaseChatModel) -> FastAPI:
    app = FastAPI()

    @app.get("/stream")
    async def stream(prompt: str) -> EventSourceResponse:
        return EventSourceResponse(token_events(model, prompt))

    return app

"""Counts every chunk, empty ones included, so the ids skip and done reports too many tokens."""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
from sse_starlette import EventSourceResponse, JSONServerSentEvent


async def token_events(model: BaseChatModel, prompt: str) -> AsyncIterator[JSONServerSentEvent]:
    count = 0
    async for chunk in model.astream(prompt):
        count += 1
        if chunk.text:
            yield JSONServerSentEvent({"text": chunk.text}, event="token", id=str(count))
    yield JSONServerSentEvent({"tokens": count}, event="done")


def create_app(model: BaseChatModel) -> FastAPI:
    app = FastAPI()

    @app.get("/stream")
    async def stream(prompt: str) -> EventSourceResponse:
        return EventSourceResponse(token_events(model, prompt))

    return app

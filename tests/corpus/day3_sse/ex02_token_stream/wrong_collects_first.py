"""Gathers every chunk first, to have the finish reason before the first event, so nothing leaves before the answer ends."""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
from sse_starlette import EventSourceResponse, JSONServerSentEvent


async def token_events(model: BaseChatModel, prompt: str) -> AsyncIterator[JSONServerSentEvent]:
    chunks = [chunk async for chunk in model.astream(prompt)]
    answer = sum(chunks[1:], chunks[0])
    texts = [chunk.text for chunk in chunks if chunk.text]
    for number, text in enumerate(texts, start=1):
        yield JSONServerSentEvent({"text": text}, event="token", id=str(number))
    finish_reason = answer.response_metadata.get("finish_reason")
    yield JSONServerSentEvent({"tokens": len(texts), "finish_reason": finish_reason, "usage": answer.usage_metadata}, event="done")


def create_app(model: BaseChatModel) -> FastAPI:
    app = FastAPI()

    @app.get("/stream")
    async def stream(prompt: str) -> EventSourceResponse:
        return EventSourceResponse(token_events(model, prompt))

    return app

"""Reads the model with the sync model.stream() inside the async generator, blocking the event loop."""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
from sse_starlette import EventSourceResponse, JSONServerSentEvent


async def token_events(model: BaseChatModel, prompt: str) -> AsyncIterator[JSONServerSentEvent]:
    tokens = 0
    answer = None
    for chunk in model.stream(prompt):
        answer = chunk if answer is None else answer + chunk
        if chunk.text:
            tokens += 1
            yield JSONServerSentEvent({"text": chunk.text}, event="token", id=str(tokens))
    finish_reason = answer.response_metadata.get("finish_reason") if answer else None
    usage = answer.usage_metadata if answer else None
    yield JSONServerSentEvent({"tokens": tokens, "finish_reason": finish_reason, "usage": usage}, event="done")


def create_app(model: BaseChatModel) -> FastAPI:
    app = FastAPI()

    @app.get("/stream")
    async def stream(prompt: str) -> EventSourceResponse:
        return EventSourceResponse(token_events(model, prompt))

    return app

"""Streams the tokens, then calls ainvoke() for the finish reason and the usage: every request pays for two answers."""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
from sse_starlette import EventSourceResponse, JSONServerSentEvent


async def token_events(model: BaseChatModel, prompt: str) -> AsyncIterator[JSONServerSentEvent]:
    tokens = 0
    async for chunk in model.astream(prompt):
        if chunk.text:
            tokens += 1
            yield JSONServerSentEvent({"text": chunk.text}, event="token", id=str(tokens))
    whole = await model.ainvoke(prompt)
    finish_reason = whole.response_metadata.get("finish_reason")
    yield JSONServerSentEvent({"tokens": tokens, "finish_reason": finish_reason, "usage": whole.usage_metadata}, event="done")


def create_app(model: BaseChatModel) -> FastAPI:
    app = FastAPI()

    @app.get("/stream")
    async def stream(prompt: str) -> EventSourceResponse:
        return EventSourceResponse(token_events(model, prompt))

    return app

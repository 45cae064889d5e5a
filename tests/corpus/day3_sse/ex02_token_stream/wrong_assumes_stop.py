"""Writes finish_reason "stop" whenever the loop ends, so an answer cut by the token limit passes for a complete one."""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
from sse_starlette import EventSourceResponse, JSONServerSentEvent


async def token_events(model: BaseChatModel, prompt: str) -> AsyncIterator[JSONServerSentEvent]:
    tokens = 0
    answer = None
    async for chunk in model.astream(prompt):
        answer = chunk if answer is None else answer + chunk
        if chunk.text:
            tokens += 1
            yield JSONServerSentEvent({"text": chunk.text}, event="token", id=str(tokens))
    # no exception, so the model finished normally
    yield JSONServerSentEvent({"tokens": tokens, "finish_reason": "stop", "usage": answer.usage_metadata}, event="done")


def create_app(model: BaseChatModel) -> FastAPI:
    app = FastAPI()

    @app.get("/stream")
    async def stream(prompt: str) -> EventSourceResponse:
        return EventSourceResponse(token_events(model, prompt))

    return app

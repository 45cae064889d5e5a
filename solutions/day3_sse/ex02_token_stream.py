"""Exercise 2 (solution): stream a model's tokens as Server-Sent Events, then say how the answer ended.

Each token event leaves the moment its chunk arrives. Beside the count, the generator keeps the
sum of *every* chunk, the empty ones too: the finish reason and the usage travel on chunks with
no text, and not always on the last one, so only the sum holds them whatever the provider.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessageChunk
from sse_starlette import EventSourceResponse, JSONServerSentEvent


async def token_events(model: BaseChatModel, prompt: str) -> AsyncIterator[JSONServerSentEvent]:
    """A ``token`` event per non-empty chunk (ids 1, 2, ...), then ``done`` with the count, the finish reason and the usage."""
    tokens = 0
    answer: BaseMessageChunk | None = None
    async for chunk in model.astream(prompt):
        answer = chunk if answer is None else answer + chunk
        if chunk.text:
            tokens += 1
            yield JSONServerSentEvent({"text": chunk.text}, event="token", id=str(tokens))
    finish_reason = answer.response_metadata.get("finish_reason") if answer is not None else None
    usage = getattr(answer, "usage_metadata", None)
    yield JSONServerSentEvent({"tokens": tokens, "finish_reason": finish_reason, "usage": usage}, event="done")


def create_app(model: BaseChatModel) -> FastAPI:
    """``GET /stream?prompt=...`` streams the model's answer."""
    app = FastAPI()

    @app.get("/stream")
    async def stream(prompt: str) -> EventSourceResponse:
        return EventSourceResponse(token_events(model, prompt))

    return app

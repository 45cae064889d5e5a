"""Reads the finish reason and the usage from the last chunk, which ChatOpenAI and ChatMaritaca leave empty."""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
from sse_starlette import EventSourceResponse, JSONServerSentEvent


async def token_events(model: BaseChatModel, prompt: str) -> AsyncIterator[JSONServerSentEvent]:
    tokens = 0
    last = None
    async for chunk in model.astream(prompt):
        last = chunk
        if chunk.text:
            tokens += 1
            yield JSONServerSentEvent({"text": chunk.text}, event="token", id=str(tokens))
    # the stream is over: its last chunk says how it ended
    done = {"tokens": tokens, "finish_reason": last.response_metadata.get("finish_reason"), "usage": last.usage_metadata}
    yield JSONServerSentEvent(done, event="done")


def create_app(model: BaseChatModel) -> FastAPI:
    app = FastAPI()

    @app.get("/stream")
    async def stream(prompt: str) -> EventSourceResponse:
        return EventSourceResponse(token_events(model, prompt))

    return app

"""Takes the first chunk whose response_metadata is not empty as "the metadata chunk": with ChatOpenAI that is the opening one."""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
from sse_starlette import EventSourceResponse, JSONServerSentEvent


async def token_events(model: BaseChatModel, prompt: str) -> AsyncIterator[JSONServerSentEvent]:
    tokens = 0
    metadata = None
    usage = None
    async for chunk in model.astream(prompt):
        if chunk.response_metadata and metadata is None:
            metadata = chunk.response_metadata
        if chunk.usage_metadata:
            usage = chunk.usage_metadata
        if chunk.text:
            tokens += 1
            yield JSONServerSentEvent({"text": chunk.text}, event="token", id=str(tokens))
    finish_reason = metadata.get("finish_reason") if metadata else None
    yield JSONServerSentEvent({"tokens": tokens, "finish_reason": finish_reason, "usage": usage}, event="done")


def create_app(model: BaseChatModel) -> FastAPI:
    app = FastAPI()

    @app.get("/stream")
    async def stream(prompt: str) -> EventSourceResponse:
        return EventSourceResponse(token_events(model, prompt))

    return app

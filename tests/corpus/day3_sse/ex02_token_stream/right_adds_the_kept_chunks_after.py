"""Correct: sends each token at once and keeps every chunk in a list, then adds them up for done after the loop."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from functools import reduce
from operator import add

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessageChunk
from sse_starlette import EventSourceResponse, ServerSentEvent


def compact(payload: object) -> str:
    return json.dumps(payload, separators=(",", ":"))


async def token_events(model: BaseChatModel, prompt: str) -> AsyncIterator[ServerSentEvent]:
    chunks: list[BaseMessageChunk] = []
    texts = 0
    async for chunk in model.astream(prompt):
        chunks.append(chunk)
        if chunk.text != "":
            texts += 1
            yield ServerSentEvent(data=compact({"text": chunk.text}), event="token", id=str(texts))
    whole = reduce(add, chunks) if chunks else None
    summary = {
        "tokens": texts,
        "finish_reason": whole.response_metadata.get("finish_reason") if whole else None,
        "usage": getattr(whole, "usage_metadata", None),
    }
    yield ServerSentEvent(data=compact(summary), event="done")


def create_app(model: BaseChatModel) -> FastAPI:
    app = FastAPI()

    @app.get("/stream")
    async def stream(prompt: str) -> EventSourceResponse:
        return EventSourceResponse(token_events(model, prompt))

    return app

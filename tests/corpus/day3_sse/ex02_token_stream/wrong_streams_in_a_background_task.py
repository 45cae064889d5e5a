"""Reads the model in a task of its own that fills a queue, and never cancels it: after a disconnect the model writes for nobody."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessageChunk
from sse_starlette import EventSourceResponse, JSONServerSentEvent


async def pump(model: BaseChatModel, prompt: str, queue: asyncio.Queue[BaseMessageChunk | Exception | None]) -> None:
    try:
        async for chunk in model.astream(prompt):
            await queue.put(chunk)
    except Exception as error:
        await queue.put(error)
    else:
        await queue.put(None)


async def token_events(model: BaseChatModel, prompt: str) -> AsyncIterator[JSONServerSentEvent]:
    queue: asyncio.Queue[BaseMessageChunk | Exception | None] = asyncio.Queue()
    asyncio.create_task(pump(model, prompt, queue))
    tokens = 0
    answer = None
    while (chunk := await queue.get()) is not None:
        if isinstance(chunk, Exception):
            raise chunk
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

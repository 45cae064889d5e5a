"""Streams the model in a background task that feeds a queue, so a client that leaves does not stop the model."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
from sse_starlette import EventSourceResponse, JSONServerSentEvent


class ModelPool:
    def __init__(self, models: Sequence[BaseChatModel]) -> None:
        self.size = len(models)
        self._free: asyncio.Queue[BaseChatModel] = asyncio.Queue()
        for model in models:
            self._free.put_nowait(model)

    async def acquire(self) -> BaseChatModel:
        return await self._free.get()

    def release(self, model: BaseChatModel) -> None:
        self._free.put_nowait(model)

    @property
    def in_use(self) -> int:
        return self.size - self._free.qsize()


async def pooled_token_events(pool: ModelPool, prompt: str) -> AsyncIterator[JSONServerSentEvent]:
    model = await pool.acquire()
    texts: asyncio.Queue[str | None] = asyncio.Queue()

    async def pump() -> None:
        try:
            async for chunk in model.astream(prompt):
                if chunk.text:
                    await texts.put(chunk.text)
        finally:
            await texts.put(None)

    asyncio.create_task(pump())
    try:
        tokens = 0
        while (text := await texts.get()) is not None:
            tokens += 1
            yield JSONServerSentEvent({"text": text}, event="token", id=str(tokens))
        yield JSONServerSentEvent({"tokens": tokens}, event="done")
    finally:
        pool.release(model)


def create_app(pool: ModelPool) -> FastAPI:
    app = FastAPI()

    @app.get("/stream")
    async def stream(prompt: str) -> EventSourceResponse:
        return EventSourceResponse(pooled_token_events(pool, prompt))

    return app

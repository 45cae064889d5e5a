"""Collects the answer under the pool first and streams it afterwards, so nothing arrives while the model writes."""

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
    try:
        texts = [chunk.text async for chunk in model.astream(prompt) if chunk.text]
    finally:
        pool.release(model)
    for number, text in enumerate(texts, start=1):
        yield JSONServerSentEvent({"text": text}, event="token", id=str(number))
    yield JSONServerSentEvent({"tokens": len(texts)}, event="done")


def create_app(pool: ModelPool) -> FastAPI:
    app = FastAPI()

    @app.get("/stream")
    async def stream(prompt: str) -> EventSourceResponse:
        return EventSourceResponse(pooled_token_events(pool, prompt))

    return app

"""Catches the cancellation to give the model back and then ends quietly, swallowing the disconnect."""

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
    tokens = 0
    try:
        async for chunk in model.astream(prompt):
            if chunk.text:
                tokens += 1
                yield JSONServerSentEvent({"text": chunk.text}, event="token", id=str(tokens))
        yield JSONServerSentEvent({"tokens": tokens}, event="done")
    except BaseException:
        pass
    finally:
        pool.release(model)


def create_app(pool: ModelPool) -> FastAPI:
    app = FastAPI()

    @app.get("/stream")
    async def stream(prompt: str) -> EventSourceResponse:
        return EventSourceResponse(pooled_token_events(pool, prompt))

    return app

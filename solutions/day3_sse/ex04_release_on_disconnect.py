"""Exercise 4 (solution): give the model back to its pool however the stream ends.

When the client goes away, sse-starlette stops the generator from the outside: it is cancelled
while it waits for the next chunk (``asyncio.CancelledError``) or closed while it waits at a
``yield`` (``GeneratorExit``). Either way, no line after the loop runs, and neither does an
``except Exception``. Only ``finally`` runs on every way out: the end of the answer, a model
error, a disconnect.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
from sse_starlette import EventSourceResponse, JSONServerSentEvent


class ModelPool:
    """Lends each model to one stream at a time; ``acquire`` waits while every model is busy."""

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
    """Borrow a model, stream its ``token`` events and ``done``, and always give it back."""
    model = await pool.acquire()
    try:
        tokens = 0
        async for chunk in model.astream(prompt):
            if chunk.text:
                tokens += 1
                yield JSONServerSentEvent({"text": chunk.text}, event="token", id=str(tokens))
        yield JSONServerSentEvent({"tokens": tokens}, event="done")
    finally:
        pool.release(model)


def create_app(pool: ModelPool) -> FastAPI:
    """``GET /stream?prompt=...`` streams the answer of a model borrowed from ``pool``."""
    app = FastAPI()

    @app.get("/stream")
    async def stream(prompt: str) -> EventSourceResponse:
        return EventSourceResponse(pooled_token_events(pool, prompt))

    return app

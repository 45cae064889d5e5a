"""Polls the queue with get_nowait() and time.sleep(), blocking the event loop in many short stalls.

The student wanted to wait a little between tries and used time.sleep, yielding with
asyncio.sleep(0) only after it; each stall is short, but together they hold the loop most of the time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

from langchain_core.callbacks import AsyncCallbackHandler
from langchain_core.language_models import BaseChatModel
from langchain_core.outputs import LLMResult

DONE = object()


class TokenQueue(AsyncCallbackHandler):
    def __init__(self) -> None:
        self.queue: asyncio.Queue[Any] = asyncio.Queue()

    async def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        if token:
            self.queue.put_nowait(token)

    async def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        self.queue.put_nowait(DONE)

    async def on_llm_error(self, error: BaseException, **kwargs: Any) -> None:
        self.queue.put_nowait(error)


async def relay(model: BaseChatModel, question: str) -> AsyncIterator[str]:
    handler = TokenQueue()
    call = asyncio.create_task(model.ainvoke(question, config={"callbacks": [handler]}))
    try:
        while True:
            try:
                item = handler.queue.get_nowait()
            except asyncio.QueueEmpty:
                time.sleep(0.01)
                await asyncio.sleep(0)
                continue
            if item is DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        call.cancel()
        await asyncio.gather(call, return_exceptions=True)

"""Leaves the end of the stream to the hooks alone, so a call that fails before any hook fires hangs the reader.

The student trusted on_llm_end and on_llm_error to put DONE or the error on the queue; relay(model,
12345) fails while ainvoke() checks its input, no hook fires, and the reader waits forever.
"""

from __future__ import annotations

import asyncio
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
    task = asyncio.create_task(model.ainvoke(question, config={"callbacks": [handler]}))
    try:
        while True:
            item = await handler.queue.get()
            if item is DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

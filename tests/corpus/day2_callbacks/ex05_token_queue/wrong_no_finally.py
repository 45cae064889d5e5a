"""Cleans up the model's task only after a complete answer, not in a finally block.

The student awaited the task after the loop; when the reader stops early or is cancelled, the model
goes on streaming in the background.
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
    call = asyncio.create_task(model.ainvoke(question, config={"callbacks": [handler]}))
    while (item := await handler.queue.get()) is not DONE:
        if isinstance(item, BaseException):
            raise item
        yield item
    await call

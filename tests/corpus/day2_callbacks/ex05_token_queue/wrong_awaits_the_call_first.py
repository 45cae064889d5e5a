"""Awaits the model call before reading the queue, so every token arrives at the end.

The student wanted the call to be over before draining the queue; nothing is lost, but nothing is
streamed either.
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
    await model.ainvoke(question, config={"callbacks": [handler]})
    while (item := handler.queue.get_nowait()) is not DONE:
        if isinstance(item, BaseException):
            raise item
        yield item

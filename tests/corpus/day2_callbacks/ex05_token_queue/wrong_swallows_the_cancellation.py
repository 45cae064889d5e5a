"""Catches CancelledError to stop the model, then returns quietly instead of re-raising it.

The student cancels the task correctly, but the cancelled reader ends as if the answer were complete,
so whoever cancelled it cannot tell.
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
    try:
        while (item := await handler.queue.get()) is not DONE:
            if isinstance(item, BaseException):
                raise item
            yield item
    except asyncio.CancelledError:
        call.cancel()
        await asyncio.gather(call, return_exceptions=True)
        return
    finally:
        call.cancel()

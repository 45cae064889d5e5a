"""Its done-callback puts DONE whenever the call ends, so a call that fails before any hook ends as an empty answer.

The student added the done-callback so the reader can never hang, but made it put DONE without
looking at the task; relay(model, 12345) then ends quietly, and the reader never learns the call failed.
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
    task.add_done_callback(lambda _: handler.queue.put_nowait(DONE))
    try:
        while (item := await handler.queue.get()) is not DONE:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

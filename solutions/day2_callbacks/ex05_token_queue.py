"""Exercise 5 (solution): hand the tokens of a callback to another task, through an ``asyncio.Queue``.

The handler never waits: ``put_nowait`` on an unbounded queue returns at once, so the model
streams at its own pace whatever the reader does. Every way the model call can end puts
something on the queue: ``DONE`` or the error from the hooks, and the task's own error from its
done-callback, which also covers a call that fails before any hook fires. So the reader never
waits for nothing. The ``finally`` block runs when the reader finishes, stops early
(``aclose()``) or is cancelled, and takes the model's task down with it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from functools import partial
from typing import Any

from langchain_core.callbacks import AsyncCallbackHandler
from langchain_core.language_models import BaseChatModel
from langchain_core.outputs import LLMResult

DONE = object()
"""Put on the queue after the last token of a complete answer."""


class TokenQueue(AsyncCallbackHandler):
    """Puts the tokens, then ``DONE`` or the error, on ``queue``."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[Any] = asyncio.Queue()

    async def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        if token:
            self.queue.put_nowait(token)

    async def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        self.queue.put_nowait(DONE)

    async def on_llm_error(self, error: BaseException, **kwargs: Any) -> None:
        self.queue.put_nowait(error)


def put_failure(queue: asyncio.Queue[Any], call: asyncio.Task[Any]) -> None:
    """A done-callback: put the call's error on the queue, even one raised before any hook fired."""
    if not call.cancelled() and call.exception() is not None:
        queue.put_nowait(call.exception())


async def relay(model: BaseChatModel, question: str) -> AsyncIterator[str]:
    """Yield the model's tokens as they arrive, through a ``TokenQueue``."""
    handler = TokenQueue()
    call = asyncio.create_task(model.ainvoke(question, config={"callbacks": [handler]}))
    call.add_done_callback(partial(put_failure, handler.queue))
    try:
        while (item := await handler.queue.get()) is not DONE:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        call.cancel()
        await asyncio.gather(call, return_exceptions=True)

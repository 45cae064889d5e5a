"""A correct alternative: awaited puts, a race of the queue against the call (FIRST_COMPLETED), cleanup in ``except BaseException``.

Each item is awaited together with the model's call: when the call is over and the queue is empty,
nothing more can come, so its result ends the relay (its error, even one raised before any hook).
Any way out of the generator other than the end (an error, aclose(), a cancellation) cancels the
model's call and waits for it.
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
        if token != "":
            await self.queue.put(token)

    async def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        await self.queue.put(DONE)

    async def on_llm_error(self, error: BaseException, **kwargs: Any) -> None:
        await self.queue.put(error)


async def next_item(tokens: TokenQueue, model_call: asyncio.Future[Any]) -> Any:
    """The next item on the queue; DONE or the call's error once the call is over and the queue empty."""
    while tokens.queue.empty() and not model_call.done():
        getting = asyncio.ensure_future(tokens.queue.get())
        try:
            await asyncio.wait([getting, model_call], return_when=asyncio.FIRST_COMPLETED)
        finally:
            getting.cancel()  # a no-op once it has its item; else the item, if any, stays queued
        if getting.done() and not getting.cancelled():
            return getting.result()
    if not tokens.queue.empty():
        return tokens.queue.get_nowait()
    return model_call.exception() or DONE


async def relay(model: BaseChatModel, question: str) -> AsyncIterator[str]:
    tokens = TokenQueue()
    model_call = asyncio.ensure_future(model.ainvoke(question, config={"callbacks": [tokens]}))
    try:
        while True:
            item = await next_item(tokens, model_call)
            if item is DONE:
                break
            if isinstance(item, BaseException):
                raise item
            yield item
    except BaseException:
        model_call.cancel()
        await asyncio.wait([model_call])
        raise
    await model_call

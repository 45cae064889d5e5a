"""A correct alternative: awaited puts, ensure_future, and cleanup in ``except BaseException`` instead of ``finally``.

Any way out of the generator other than DONE (an error, aclose(), a cancellation) cancels the
model's call and waits for it; after DONE the call is simply awaited to its end.
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


async def relay(model: BaseChatModel, question: str) -> AsyncIterator[str]:
    tokens = TokenQueue()
    model_call = asyncio.ensure_future(model.ainvoke(question, config={"callbacks": [tokens]}))
    try:
        while True:
            item = await tokens.queue.get()
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

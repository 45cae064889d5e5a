"""A correct alternative: an AsyncCallbackHandler, a TaskGroup, and a copy of the chain configured for each request.

Each request gets its own with_config(...) binding, a local that is dropped when its task ends, so
no handler outlives its call; the hook runs on the event loop, with no thread per token.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import AsyncCallbackHandler
from langchain_core.runnables import Runnable


class TokenLog(AsyncCallbackHandler):
    def __init__(self) -> None:
        self.tokens: list[str] = []

    async def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        if token != "":
            self.tokens += [token]


async def one_request(chain: Runnable[Any, Any], inputs: dict[str, Any]) -> list[str]:
    log = TokenLog()
    async for _ in chain.with_config(callbacks=[log]).astream(inputs):
        pass
    return log.tokens


async def tokens_per_request(chain: Runnable[Any, Any], requests: Sequence[dict[str, Any]]) -> list[list[str]]:
    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(one_request(chain, inputs)) for inputs in requests]
    return [task.result() for task in tasks]

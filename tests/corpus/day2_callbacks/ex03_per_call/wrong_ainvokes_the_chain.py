"""Runs each request with chain.ainvoke(), so the chat model never streams and the logs get no token.

The student passed each log correctly in the config, but awaited the whole answer; a model without
streaming=True sends no token to the callbacks on ainvoke().
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.runnables import Runnable


class TokenLog(BaseCallbackHandler):
    def __init__(self) -> None:
        self.tokens: list[str] = []

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        if token:
            self.tokens.append(token)


async def tokens_per_request(chain: Runnable[Any, Any], requests: Sequence[dict[str, Any]]) -> list[list[str]]:
    logs = [TokenLog() for _ in requests]
    await asyncio.gather(*(chain.ainvoke(inputs, config={"callbacks": [log]}) for inputs, log in zip(requests, logs)))
    return [log.tokens for log in logs]

"""Streams the requests one after the other in a for loop, instead of at the same time.

The student awaited each request's stream before starting the next; every list is right, but a
server answering this way makes each user wait for everyone before them.
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
    result = []
    for inputs in requests:
        log = TokenLog()
        async for _ in chain.astream(inputs, config={"callbacks": [log]}):
            pass
        result.append(log.tokens)
    return result

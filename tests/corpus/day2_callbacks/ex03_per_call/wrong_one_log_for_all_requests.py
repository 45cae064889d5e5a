"""Passes one TokenLog to every request, so the tokens of answers streaming at the same time get mixed.

The student made the log once, outside the loop, and handed each request a copy of its list; every
request's call writes into that one log, and the interleaved tokens of all answers end up in each list.
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
    log = TokenLog()

    async def run(inputs: dict[str, Any]) -> None:
        async for _ in chain.astream(inputs, config={"callbacks": [log]}):
            pass

    await asyncio.gather(*(run(inputs) for inputs in requests))
    return [list(log.tokens) for _ in requests]

"""Collects the pieces the chain yields instead of the handler's tokens, which only match when the chain ends in text.

The student saw that StrOutputParser yields the same pieces as the tokens and kept those; with a
chain that ends in another step (a word count, a JSON parser) the lists hold that step's output.
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
    async def run(inputs: dict[str, Any]) -> list[str]:
        pieces = []
        async for piece in chain.astream(inputs, config={"callbacks": [TokenLog()]}):
            if piece:
                pieces.append(piece)
        return pieces

    return list(await asyncio.gather(*(run(inputs) for inputs in requests)))

"""Exercise 3 (solution): one chain shared by concurrent requests, one handler per request.

The config travels with the run: LangChain hands its callbacks to every child run (prompt,
model, parser) of that call alone, so a handler sees its own request's tokens even while other
requests stream through the same chain, and forgets the chain when the run is over. Streaming
the chain is what makes the model send its tokens to the callbacks.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.runnables import Runnable


class TokenLog(BaseCallbackHandler):
    """Keeps the chat model's tokens of the one run it is passed to."""

    def __init__(self) -> None:
        self.tokens: list[str] = []

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        if token:
            self.tokens.append(token)


async def stream_with_log(chain: Runnable[Any, Any], inputs: dict[str, Any], log: TokenLog) -> None:
    """Stream one request through ``chain``, with ``log`` in the config of this call only."""
    async for _ in chain.astream(inputs, config={"callbacks": [log]}):
        pass


async def tokens_per_request(chain: Runnable[Any, Any], requests: Sequence[dict[str, Any]]) -> list[list[str]]:
    """Stream every request through ``chain`` at once; return each request's tokens, in request order."""
    logs = [TokenLog() for _ in requests]
    await asyncio.gather(*(stream_with_log(chain, inputs, log) for inputs, log in zip(requests, logs)))
    return [log.tokens for log in logs]

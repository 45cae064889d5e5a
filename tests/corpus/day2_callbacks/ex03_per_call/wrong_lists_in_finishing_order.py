"""Returns the token lists in the order the requests finished (as_completed), not in the order of the requests.

The student wanted each list as soon as its answer was done; a short answer finishes first, so
its tokens come back under another request's position.
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


async def one_request(chain: Runnable[Any, Any], inputs: dict[str, Any]) -> list[str]:
    log = TokenLog()
    async for _ in chain.astream(inputs, config={"callbacks": [log]}):
        pass
    return log.tokens


async def tokens_per_request(chain: Runnable[Any, Any], requests: Sequence[dict[str, Any]]) -> list[list[str]]:
    return [await done for done in asyncio.as_completed([one_request(chain, inputs) for inputs in requests])]

"""Streams the chain with astream(), reasoning that its output is the final model's answer anyway.

It works as long as the final model's parser is the last step, and only for the final model: a
function after it, or a request for the draft, and the tokens are gone.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from langchain_core.runnables import Runnable


async def tokens_of(chain: Runnable, inputs: Any, run_name: str) -> AsyncIterator[str]:
    async for piece in chain.astream(inputs):
        if isinstance(piece, str) and piece:
            yield piece

"""Streams the chain with astream(), which gives only what its last step produces.

The student uses the streaming method of day 1: on a chain that ends in a plain function, it
yields the whole result once, at the end, and no token ever reaches on_token while the model writes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.runnables import Runnable


async def stream_tokens(chain: Runnable, inputs: Any, on_token: Callable[[str], None]) -> Any:
    output = None
    async for piece in chain.astream(inputs):
        if piece:
            on_token(piece)
        output = piece
    return output

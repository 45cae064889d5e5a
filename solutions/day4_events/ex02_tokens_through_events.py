"""Exercise 2 (solution): the model's tokens from a chain whose last step does not stream.

``astream()`` streams what the *last* step streams, and a plain function streams nothing, so it
would hand over the whole result at the end. The events still carry every chunk the model
produced, the moment it produced it: ``on_chat_model_stream``, whichever step called the model.
The same single run also ends with the chain's own ``on_chain_end``, the only event without a
parent, whose ``data["output"]`` is what ``ainvoke()`` would have returned.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.runnables import Runnable


async def stream_tokens(chain: Runnable, inputs: Any, on_token: Callable[[str], None]) -> Any:
    """Pass each of the model's tokens to ``on_token`` as it streams; return the chain's output."""
    output = None
    async for event in chain.astream_events(inputs, version="v2"):
        if event["event"] == "on_chat_model_stream" and event["data"]["chunk"].text:
            on_token(event["data"]["chunk"].text)
        elif event["event"] == "on_chain_end" and not event["parent_ids"]:
            output = event["data"]["output"]
    return output

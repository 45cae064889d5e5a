"""Calls on_token for every model chunk, the empty ones that open and close the stream included."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.runnables import Runnable


async def stream_tokens(chain: Runnable, inputs: Any, on_token: Callable[[str], None]) -> Any:
    output = None
    async for event in chain.astream_events(inputs, version="v2"):
        if event["event"] == "on_chat_model_stream":
            on_token(event["data"]["chunk"].text)
        elif event["event"] == "on_chain_end" and not event["parent_ids"]:
            output = event["data"]["output"]
    return output

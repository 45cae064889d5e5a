"""Passes event["data"]["chunk"] itself to on_token, a message chunk rather than its text.

It prints fine in a quick test, since print() shows the message's content, but on_token was
promised strings, and code that joins or measures them breaks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.runnables import Runnable


async def stream_tokens(chain: Runnable, inputs: Any, on_token: Callable[[str], None]) -> Any:
    output = None
    async for event in chain.astream_events(inputs, version="v2"):
        if event["event"] == "on_chat_model_stream" and event["data"]["chunk"].content:
            on_token(event["data"]["chunk"])
        elif event["event"] == "on_chain_end" and not event["parent_ids"]:
            output = event["data"]["output"]
    return output

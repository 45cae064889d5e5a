"""Streams the tokens from the events, then calls chain.ainvoke() to get the output.

The student does not know the events end with the chain's output, so the chain runs twice and
the model writes, and bills, a second answer that may not even match the one shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.runnables import Runnable


async def stream_tokens(chain: Runnable, inputs: Any, on_token: Callable[[str], None]) -> Any:
    async for event in chain.astream_events(inputs, version="v2"):
        if event["event"] == "on_chat_model_stream" and event["data"]["chunk"].text:
            on_token(event["data"]["chunk"].text)
    return await chain.ainvoke(inputs)

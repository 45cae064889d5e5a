"""Correct: reads the tokens' content when it is a string, and returns the output of the last event, the chain's own end."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.runnables import Runnable


async def stream_tokens(chain: Runnable, inputs: Any, on_token: Callable[[str], None]) -> Any:
    last = None
    async for event in chain.astream_events(inputs, version="v2"):
        last = event
        if event["event"] != "on_chat_model_stream":
            continue
        content = event["data"]["chunk"].content
        if isinstance(content, str) and content:
            on_token(content)
    return last["data"].get("output") if last else None

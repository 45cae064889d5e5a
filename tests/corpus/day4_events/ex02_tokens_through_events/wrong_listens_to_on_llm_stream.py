"""Listens to on_llm_stream, the event of plain text-completion models, not of chat models.

The student copied the event name from an older tutorial written for an LLM class; a chat
model's chunks come as on_chat_model_stream, so on_token is never called.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.runnables import Runnable


async def stream_tokens(chain: Runnable, inputs: Any, on_token: Callable[[str], None]) -> Any:
    output = None
    async for event in chain.astream_events(inputs, version="v2"):
        if event["event"] == "on_llm_stream":
            on_token(event["data"]["chunk"].text)
        if event["event"] == "on_chain_end" and not event["parent_ids"]:
            output = event["data"]["output"]
    return output

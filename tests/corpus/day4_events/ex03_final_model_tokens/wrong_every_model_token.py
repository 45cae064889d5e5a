"""Filters by the event type only, so both models' tokens come through.

The student keeps on_chat_model_stream, which worked for a chain with one model, and never
looks at the run name: the draft streams first, and its words reach the user.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from langchain_core.runnables import Runnable


async def tokens_of(chain: Runnable, inputs: Any, run_name: str) -> AsyncIterator[str]:
    async for event in chain.astream_events(inputs, version="v2"):
        if event["event"] == "on_chat_model_stream" and event["data"]["chunk"].text:
            yield event["data"]["chunk"].text

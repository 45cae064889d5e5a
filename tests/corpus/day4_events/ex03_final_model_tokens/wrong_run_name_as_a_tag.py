"""Passes the run name to include_tags, as if a run name were a tag.

run_name sets the run's name, not its tags, so the filter keeps no event and nothing is yielded.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from langchain_core.runnables import Runnable


async def tokens_of(chain: Runnable, inputs: Any, run_name: str) -> AsyncIterator[str]:
    async for event in chain.astream_events(inputs, version="v2", include_tags=[run_name]):
        if event["event"] == "on_chat_model_stream" and event["data"]["chunk"].text:
            yield event["data"]["chunk"].text

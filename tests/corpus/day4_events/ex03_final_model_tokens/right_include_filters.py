"""Correct: lets astream_events filter by include_names and include_types, then reads the chunk's string content."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from langchain_core.runnables import Runnable


async def tokens_of(chain: Runnable, inputs: Any, run_name: str) -> AsyncIterator[str]:
    events = chain.astream_events(inputs, version="v2", include_names=[run_name], include_types=["chat_model"])
    async for event in events:
        if event["event"] != "on_chat_model_stream" or event["name"] != run_name:
            continue
        content = event["data"]["chunk"].content
        if isinstance(content, str) and content:
            yield content

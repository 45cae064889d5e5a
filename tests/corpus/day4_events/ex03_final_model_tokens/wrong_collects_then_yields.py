"""Collects the chosen model's tokens in a list and yields them once the chain has finished."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from langchain_core.runnables import Runnable


async def tokens_of(chain: Runnable, inputs: Any, run_name: str) -> AsyncIterator[str]:
    tokens = []
    async for event in chain.astream_events(inputs, version="v2"):
        if event["event"] == "on_chat_model_stream" and event["name"] == run_name:
            if event["data"]["chunk"].text:
                tokens.append(event["data"]["chunk"].text)
    for token in tokens:
        yield token

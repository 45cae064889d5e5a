"""Yields the chain's own on_chain_stream events, the outermost run with no parent.

They stream what the whole chain produces: the final parser's text when it is the last step,
nothing until the end when a function follows it, and never the draft.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from langchain_core.runnables import Runnable


async def tokens_of(chain: Runnable, inputs: Any, run_name: str) -> AsyncIterator[str]:
    async for event in chain.astream_events(inputs, version="v2"):
        if event["event"] == "on_chain_stream" and not event["parent_ids"]:
            chunk = event["data"]["chunk"]
            if isinstance(chunk, str) and chunk:
                yield chunk

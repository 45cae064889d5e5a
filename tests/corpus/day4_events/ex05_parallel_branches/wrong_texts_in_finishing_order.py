"""Shows the tokens live, but returns the texts from on_chat_model_end in the order the runs finish.

The shorter answer finishes first and takes the first place, so the returned texts no longer
match the branches' numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.runnables import Runnable


async def split_branches(chain: Runnable, inputs: Any, show: Callable[[int, str], None]) -> list[str]:
    numbers: dict[str, int] = {}
    finished: list[str] = []
    async for event in chain.astream_events(inputs, version="v2"):
        if event["event"] == "on_chat_model_start":
            numbers[event["run_id"]] = len(numbers)
        elif event["event"] == "on_chat_model_stream" and event["data"]["chunk"].text:
            show(numbers[event["run_id"]], event["data"]["chunk"].text)
        elif event["event"] == "on_chat_model_end":
            finished.append(event["data"]["output"].text)
    return finished

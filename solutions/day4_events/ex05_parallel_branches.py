"""Exercise 5 (solution): two model runs in parallel, their tokens told apart by run_id.

The branches use the same model, so their events share a type, a name and tags; only the
``run_id`` is each run's own. A run's ``on_chat_model_start`` comes before any of its chunks,
so numbering the runs there follows the order they started, whichever answers first; every
later chunk finds its branch by its ``run_id`` and is shown at once, so the two answers grow
side by side, interleaved as the models write them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.runnables import Runnable


async def split_branches(chain: Runnable, inputs: Any, show: Callable[[int, str], None]) -> list[str]:
    """Show each model token with its branch's number as it arrives; return each branch's whole text."""
    numbers: dict[str, int] = {}
    texts: list[list[str]] = []
    async for event in chain.astream_events(inputs, version="v2"):
        if event["event"] == "on_chat_model_start":
            numbers[event["run_id"]] = len(texts)
            texts.append([])
        elif event["event"] == "on_chat_model_stream" and event["data"]["chunk"].text:
            number, text = numbers[event["run_id"]], event["data"]["chunk"].text
            texts[number].append(text)
            show(number, text)
    return ["".join(parts) for parts in texts]

"""Groups the tokens by the first of their parent_ids, which is the parallel run both branches share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.runnables import Runnable


async def split_branches(chain: Runnable, inputs: Any, show: Callable[[int, str], None]) -> list[str]:
    numbers: dict[str, int] = {}
    texts: list[str] = []
    async for event in chain.astream_events(inputs, version="v2"):
        if event["event"] == "on_chat_model_start":
            key = event["parent_ids"][0]
            if key not in numbers:
                numbers[key] = len(texts)
                texts.append("")
        elif event["event"] == "on_chat_model_stream" and event["data"]["chunk"].text:
            number = numbers[event["parent_ids"][0]]
            texts[number] += event["data"]["chunk"].text
            show(number, event["data"]["chunk"].text)
    return texts

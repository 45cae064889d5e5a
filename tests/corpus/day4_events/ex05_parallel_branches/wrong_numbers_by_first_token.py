"""Numbers each run when its first token arrives, not when it starts.

It splits the tokens correctly by run_id, but the branch that answers first gets number 0 even
though it started second, so the panes and the texts come out swapped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.runnables import Runnable


async def split_branches(chain: Runnable, inputs: Any, show: Callable[[int, str], None]) -> list[str]:
    numbers: dict[str, int] = {}
    texts: list[str] = []
    async for event in chain.astream_events(inputs, version="v2"):
        if event["event"] != "on_chat_model_stream":
            continue
        text = event["data"]["chunk"].text
        if not text:
            continue
        if event["run_id"] not in numbers:
            numbers[event["run_id"]] = len(texts)
            texts.append("")
        number = numbers[event["run_id"]]
        texts[number] += text
        show(number, text)
    return texts

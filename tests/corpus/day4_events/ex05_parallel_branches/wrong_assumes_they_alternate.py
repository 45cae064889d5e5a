"""Assumes the two models take strict turns, so token i belongs to branch i % 2.

It looks right on a first try with two equal answers, but models do not wait for each other: one
answers first, or writes faster, or simply has more to say.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.runnables import Runnable


async def split_branches(chain: Runnable, inputs: Any, show: Callable[[int, str], None]) -> list[str]:
    texts = ["", ""]
    count = 0
    async for event in chain.astream_events(inputs, version="v2"):
        if event["event"] == "on_chat_model_stream" and event["data"]["chunk"].text:
            number = count % 2
            count += 1
            texts[number] += event["data"]["chunk"].text
            show(number, event["data"]["chunk"].text)
    return texts

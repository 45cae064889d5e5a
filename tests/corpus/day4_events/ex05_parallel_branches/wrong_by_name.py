"""Groups the tokens by event["name"], which is the same for both branches.

The student expects each branch to have its own name, as steps in a sequence do; but both runs
are the same model, so every token lands in one group and the two answers are mixed together.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.runnables import Runnable


async def split_branches(chain: Runnable, inputs: Any, show: Callable[[int, str], None]) -> list[str]:
    numbers: dict[str, int] = {}
    texts: list[str] = []
    async for event in chain.astream_events(inputs, version="v2"):
        if event["event"] == "on_chat_model_stream" and event["data"]["chunk"].text:
            if event["name"] not in numbers:
                numbers[event["name"]] = len(texts)
                texts.append("")
            number = numbers[event["name"]]
            texts[number] += event["data"]["chunk"].text
            show(number, event["data"]["chunk"].text)
    return texts

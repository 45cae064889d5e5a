"""Splits the tokens correctly, but shows them only at the end, one branch after the other.

The texts are right; the page, though, stays empty while both models write, then fills the first
pane and then the second, which is not what two live panes look like.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.runnables import Runnable


async def split_branches(chain: Runnable, inputs: Any, show: Callable[[int, str], None]) -> list[str]:
    numbers: dict[str, int] = {}
    tokens: list[list[str]] = []
    async for event in chain.astream_events(inputs, version="v2"):
        if event["event"] == "on_chat_model_start":
            numbers[event["run_id"]] = len(tokens)
            tokens.append([])
        elif event["event"] == "on_chat_model_stream" and event["data"]["chunk"].text:
            tokens[numbers[event["run_id"]]].append(event["data"]["chunk"].text)
    for number, branch in enumerate(tokens):
        for text in branch:
            show(number, text)
    return ["".join(branch) for branch in tokens]

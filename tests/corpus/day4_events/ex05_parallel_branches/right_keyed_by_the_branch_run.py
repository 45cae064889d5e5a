"""Correct: keys each model run by its immediate parent (the branch's own sequence, parent_ids[-1]), numbered when the model starts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from langchain_core.runnables import Runnable


async def split_branches(chain: Runnable, inputs: Any, show: Callable[[int, str], None]) -> list[str]:
    order: list[str] = []
    pieces: defaultdict[str, list[str]] = defaultdict(list)
    async for event in chain.astream_events(inputs, version="v2", include_types=["chat_model"]):
        branch = event["parent_ids"][-1]
        if event["event"] == "on_chat_model_start":
            order.append(branch)
        elif event["event"] == "on_chat_model_stream":
            content = event["data"]["chunk"].content
            if isinstance(content, str) and content:
                pieces[branch].append(content)
                show(order.index(branch), content)
    return ["".join(pieces[branch]) for branch in order]

"""Catches the cancellation and returns empty answers instead of letting it end the task.

The student "handles" a closed page by returning ("", ""): the streams stop, but the caller that
cancelled gets a value back as if nothing had happened.
"""

from __future__ import annotations

import asyncio

from langchain_core.language_models import BaseChatModel


async def collect(model: BaseChatModel, prompt: str) -> str:
    return "".join([chunk.text async for chunk in model.astream(prompt)])


async def stream_both(model: BaseChatModel, first_prompt: str, second_prompt: str) -> tuple[str, str]:
    try:
        first, second = await asyncio.gather(collect(model, first_prompt), collect(model, second_prompt))
    except asyncio.CancelledError:
        return "", ""
    return first, second

"""Runs both collectors as tasks with asyncio.wait, which leaves them running when it is cancelled.

The student picks asyncio.wait to "wait for both" and reads the results from the tasks.
"""

from __future__ import annotations

import asyncio

from langchain_core.language_models import BaseChatModel


async def collect(model: BaseChatModel, prompt: str) -> str:
    return "".join([chunk.text async for chunk in model.astream(prompt)])


async def stream_both(model: BaseChatModel, first_prompt: str, second_prompt: str) -> tuple[str, str]:
    first = asyncio.create_task(collect(model, first_prompt))
    second = asyncio.create_task(collect(model, second_prompt))
    await asyncio.wait([first, second])
    return first.result(), second.result()

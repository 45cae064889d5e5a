"""Runs the blocking model.stream() in two worker threads: concurrent, but impossible to cancel.

The student avoids blocking the loop with asyncio.to_thread, but a thread cannot be cancelled,
so both streams go on after the task is cancelled.
"""

from __future__ import annotations

import asyncio

from langchain_core.language_models import BaseChatModel


def collect(model: BaseChatModel, prompt: str) -> str:
    return "".join(chunk.text for chunk in model.stream(prompt))


async def stream_both(model: BaseChatModel, first_prompt: str, second_prompt: str) -> tuple[str, str]:
    first, second = await asyncio.gather(
        asyncio.to_thread(collect, model, first_prompt), asyncio.to_thread(collect, model, second_prompt)
    )
    return first, second

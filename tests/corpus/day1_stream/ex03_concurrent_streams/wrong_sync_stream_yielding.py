"""Reads the blocking model.stream() and yields with asyncio.sleep(0) between chunks.

The student "lets the other task run" after each chunk, so the streams interleave, but every
wait for a token still freezes the loop: many short stalls instead of one long one.
"""

from __future__ import annotations

import asyncio

from langchain_core.language_models import BaseChatModel


async def collect(model: BaseChatModel, prompt: str) -> str:
    answer = ""
    for chunk in model.stream(prompt):
        answer += chunk.text
        await asyncio.sleep(0)
    return answer


async def stream_both(model: BaseChatModel, first_prompt: str, second_prompt: str) -> tuple[str, str]:
    first, second = await asyncio.gather(collect(model, first_prompt), collect(model, second_prompt))
    return first, second

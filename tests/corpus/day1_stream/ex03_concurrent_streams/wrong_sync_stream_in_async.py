"""Reads model.stream() (the blocking one) inside the coroutines, then gathers them.

The student keeps the loop from exercise 1 and only wraps it in async def.
"""

from __future__ import annotations

import asyncio

from langchain_core.language_models import BaseChatModel


async def collect(model: BaseChatModel, prompt: str) -> str:
    return "".join(chunk.text for chunk in model.stream(prompt))


async def stream_both(model: BaseChatModel, first_prompt: str, second_prompt: str) -> tuple[str, str]:
    first, second = await asyncio.gather(collect(model, first_prompt), collect(model, second_prompt))
    return first, second

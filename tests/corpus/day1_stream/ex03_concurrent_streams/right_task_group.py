"""Runs the two collectors in an asyncio.TaskGroup, each growing its answer with += in a loop."""

from __future__ import annotations

import asyncio

from langchain_core.language_models import BaseChatModel


async def stream_both(model: BaseChatModel, first_prompt: str, second_prompt: str) -> tuple[str, str]:
    async def answer(prompt: str) -> str:
        text = ""
        async for chunk in model.astream(prompt):
            text += chunk.text
        return text

    async with asyncio.TaskGroup() as group:
        first = group.create_task(answer(first_prompt))
        second = group.create_task(answer(second_prompt))
    return first.result(), second.result()

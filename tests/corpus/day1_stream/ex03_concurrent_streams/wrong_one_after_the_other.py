"""Awaits the first answer, then the second: the streams run one after the other.

The student writes two awaits in a row and expects them to overlap because the code is async.
"""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel


async def collect(model: BaseChatModel, prompt: str) -> str:
    return "".join([chunk.text async for chunk in model.astream(prompt)])


async def stream_both(model: BaseChatModel, first_prompt: str, second_prompt: str) -> tuple[str, str]:
    first = await collect(model, first_prompt)
    second = await collect(model, second_prompt)
    return first, second

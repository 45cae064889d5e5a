"""Returns the answers in the order the streams finish, not in the order of the prompts.

The student uses asyncio.as_completed to collect results "as soon as they are ready".
"""

from __future__ import annotations

import asyncio

from langchain_core.language_models import BaseChatModel


async def collect(model: BaseChatModel, prompt: str) -> str:
    return "".join([chunk.text async for chunk in model.astream(prompt)])


async def stream_both(model: BaseChatModel, first_prompt: str, second_prompt: str) -> tuple[str, str]:
    answers = []
    for finished in asyncio.as_completed([collect(model, first_prompt), collect(model, second_prompt)]):
        answers.append(await finished)
    return answers[0], answers[1]

"""Exercise 3 (solution): two streams at once, on one event loop.

``asyncio.gather`` runs both collectors as tasks on the same loop, keeps the results in the
order of its arguments, and cancels both children when it is cancelled itself, so a closed
page stops both streams; the ``CancelledError`` then goes on up, and the caller sees the task
end cancelled.
"""

from __future__ import annotations

import asyncio

from langchain_core.language_models import BaseChatModel


async def collect(model: BaseChatModel, prompt: str) -> str:
    """One answer, read chunk by chunk without blocking the loop."""
    pieces = [chunk.text async for chunk in model.astream(prompt)]
    return "".join(pieces)


async def stream_both(model: BaseChatModel, first_prompt: str, second_prompt: str) -> tuple[str, str]:
    """Stream the answers to both prompts concurrently; return them in the order of the prompts."""
    first, second = await asyncio.gather(collect(model, first_prompt), collect(model, second_prompt))
    return first, second

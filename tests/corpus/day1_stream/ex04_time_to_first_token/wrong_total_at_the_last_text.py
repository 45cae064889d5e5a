"""Takes the total at the last chunk with text, inside the loop, not after the stream ends.

The student updates the total on every text chunk, so the closing chunks are not counted.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from langchain_core.language_models import BaseChatModel


@dataclass(frozen=True)
class StreamTiming:
    """How long a streamed answer took: to its first text, and in total (seconds)."""

    text: str
    first_token: float | None
    total: float


def time_stream(model: BaseChatModel, prompt: str, clock: Callable[[], float] = time.perf_counter) -> StreamTiming:
    start = clock()
    first_token = None
    total = 0.0
    text = ""
    for chunk in model.stream(prompt):
        if chunk.text:
            now = clock() - start
            if first_token is None:
                first_token = now
            total = now
            text += chunk.text
    return StreamTiming(text=text, first_token=first_token, total=total)

"""Measures the total from the first token instead of from the start of the call.

The student restarts the stopwatch at the first token, leaving out the wait before it.
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
    first_at = None
    text = ""
    for chunk in model.stream(prompt):
        if chunk.text and first_at is None:
            first_at = clock()
        text += chunk.text
    end = clock()
    first_token = None if first_at is None else first_at - start
    return StreamTiming(text=text, first_token=first_token, total=end - (first_at if first_at is not None else start))

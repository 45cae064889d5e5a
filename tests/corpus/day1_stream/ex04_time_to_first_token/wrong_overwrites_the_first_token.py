"""Forgets to keep only the first stamp: first_token ends up at the last chunk with text.

The student writes `first_token = clock() - start` for every chunk with text.
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
    text = ""
    for chunk in model.stream(prompt):
        if chunk.text:
            first_token = clock() - start
            text += chunk.text
    return StreamTiming(text=text, first_token=first_token, total=clock() - start)

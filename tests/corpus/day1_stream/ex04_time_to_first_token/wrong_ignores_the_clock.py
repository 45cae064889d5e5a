"""Reads time.perf_counter() directly and ignores the clock argument.

The student copies a timing recipe from the internet; the numbers are real seconds, not the
clock the caller passed in.
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
    start = time.perf_counter()
    first_token = None
    pieces = []
    for chunk in model.stream(prompt):
        if chunk.text:
            if first_token is None:
                first_token = time.perf_counter() - start
            pieces.append(chunk.text)
    return StreamTiming(text="".join(pieces), first_token=first_token, total=time.perf_counter() - start)

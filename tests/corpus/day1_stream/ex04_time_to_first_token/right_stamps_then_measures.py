"""Stamps every chunk with the clock first, then works the timings out from the stamps."""

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
    stamped = [(clock(), chunk.text) for chunk in model.stream(prompt)]
    end = clock()
    text_times = [at for at, text in stamped if text]
    return StreamTiming(
        text="".join(text for _, text in stamped),
        first_token=text_times[0] - start if text_times else None,
        total=end - start,
    )

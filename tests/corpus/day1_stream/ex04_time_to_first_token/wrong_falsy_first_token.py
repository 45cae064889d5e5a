"""Tests `if not first_token:` instead of `is None`, so a first token at 0.0 s is overwritten.

The student uses the falsy check they use everywhere; a first token that arrives at once
(0.0 on the clock) counts as "not yet seen" and the next chunk's time replaces it.
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
    pieces = []
    for chunk in model.stream(prompt):
        if chunk.text:
            if not first_token:
                first_token = clock() - start
            pieces.append(chunk.text)
    return StreamTiming(text="".join(pieces), first_token=first_token, total=clock() - start)

"""Reports a first token of 0.0 when no chunk had text, instead of None.

The student initialises first_token to 0.0 so the result is "always a number".
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
    first_token = 0.0
    seen_text = False
    text = ""
    for chunk in model.stream(prompt):
        if chunk.text:
            if not seen_text:
                first_token = clock() - start
                seen_text = True
            text += chunk.text
    return StreamTiming(text=text, first_token=first_token, total=clock() - start)

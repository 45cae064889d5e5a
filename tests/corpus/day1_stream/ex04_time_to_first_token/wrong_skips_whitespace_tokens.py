"""Ignores whitespace-only chunks when looking for the first token, and drops them from the text.

The student tests `chunk.text.strip()` to skip "empty" chunks, so a leading line break is lost.
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
        if not chunk.text.strip():
            continue
        if first_token is None:
            first_token = clock() - start
        text += chunk.text
    return StreamTiming(text=text, first_token=first_token, total=clock() - start)

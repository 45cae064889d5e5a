"""Exercise 4 (solution): measure what the reader feels, not only what they wait for.

The start is read before ``model.stream()`` is called, because opening the connection is part
of the wait; the first token is stamped inside the loop, at the first chunk that carries text
(providers often open with an empty chunk); the total is read once the loop is over.
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
    """Stream the answer to ``prompt`` and time its first token and its end with ``clock``."""
    start = clock()
    first_token: float | None = None
    pieces: list[str] = []
    for chunk in model.stream(prompt):
        if chunk.text:
            if first_token is None:
                first_token = clock() - start
            pieces.append(chunk.text)
    return StreamTiming(text="".join(pieces), first_token=first_token, total=clock() - start)

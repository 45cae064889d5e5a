"""Checks whether the batch is due before adding the new chunk, so each refresh is one chunk late.

The student flushes the old batch first and starts the new one with the chunk that made it due.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from langchain_core.language_models import BaseChatModel



def buffered_display(
    model: BaseChatModel,
    prompt: str,
    show: Callable[[str], None],
    clock: Callable[[], float] = time.monotonic,
    interval: float = 0.1,
    max_chunks: int = 10,
) -> str:
    answer = []
    batch = []
    last_shown = clock()
    for chunk in model.stream(prompt):
        if not chunk.text:
            continue
        now = clock()
        if batch and (len(batch) >= max_chunks or now - last_shown >= interval):
            show("".join(batch))
            batch = []
            last_shown = now
        answer.append(chunk.text)
        batch.append(chunk.text)
    if batch:
        show("".join(batch))
    return "".join(answer)

"""Starts the interval clock when the first chunk arrives, not before calling model.stream().

The student sets last_shown lazily inside the loop, so the wait for the first token is not
counted and the first text is held back for another interval.
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
    last_shown = None
    for chunk in model.stream(prompt):
        if not chunk.text:
            continue
        now = clock()
        if last_shown is None:
            last_shown = now
        answer.append(chunk.text)
        batch.append(chunk.text)
        if len(batch) >= max_chunks or now - last_shown >= interval:
            show("".join(batch))
            batch = []
            last_shown = now
    if batch:
        show("".join(batch))
    return "".join(answer)

"""Exercise 5 (solution): update the screen in batches, not once per token.

The check runs right after each chunk arrives, which is the only moment the code is awake;
a batch that becomes "old" while the model is silent is shown with the next chunk. That keeps
the loop simple and needs no timer thread.
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
    """Stream the answer, calling ``show`` with batches of chunks; return the whole answer."""
    answer: list[str] = []
    batch: list[str] = []
    last_shown = clock()
    for chunk in model.stream(prompt):
        if not chunk.text:
            continue
        answer.append(chunk.text)
        batch.append(chunk.text)
        now = clock()
        if len(batch) >= max_chunks or now - last_shown >= interval:
            show("".join(batch))
            batch.clear()
            last_shown = now
    if batch:
        show("".join(batch))
    return "".join(answer)

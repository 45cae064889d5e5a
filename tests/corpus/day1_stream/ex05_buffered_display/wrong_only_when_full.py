"""Shows a batch only when it holds max_chunks chunks, ignoring the interval.

The student implements the size rule and forgets "or old enough, whichever comes first".
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
    for chunk in model.stream(prompt):
        if not chunk.text:
            continue
        answer.append(chunk.text)
        batch.append(chunk.text)
        if len(batch) >= max_chunks:
            show("".join(batch))
            batch = []
    if batch:
        show("".join(batch))
    return "".join(answer)

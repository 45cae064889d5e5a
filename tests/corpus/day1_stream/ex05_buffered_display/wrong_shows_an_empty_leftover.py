"""Shows the leftover batch at the end even when it is empty, calling show("").

The student always flushes after the loop, without checking that anything is left.
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
        answer.append(chunk.text)
        batch.append(chunk.text)
        now = clock()
        if len(batch) >= max_chunks or now - last_shown >= interval:
            show("".join(batch))
            batch = []
            last_shown = now
    show("".join(batch))
    return "".join(answer)

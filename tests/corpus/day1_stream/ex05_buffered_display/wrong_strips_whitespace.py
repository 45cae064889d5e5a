"""Skips chunks whose text is only whitespace, losing line breaks and spaces.

The student tests `chunk.text.strip()` to skip empty chunks.
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
        if not chunk.text.strip():
            continue
        answer.append(chunk.text)
        batch.append(chunk.text)
        now = clock()
        if len(batch) >= max_chunks or now - last_shown >= interval:
            show("".join(batch))
            batch = []
            last_shown = now
    if batch:
        show("".join(batch))
    return "".join(answer)

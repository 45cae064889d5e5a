"""Keeps the batch in a small class that knows when it is due, and flushes through one method."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from langchain_core.language_models import BaseChatModel


@dataclass
class Batch:
    """Pending texts, and when the display was last refreshed."""

    show: Callable[[str], None]
    since: float
    texts: list[str] = field(default_factory=list)

    def flush(self, now: float) -> None:
        if self.texts:
            self.show("".join(self.texts))
            self.texts = []
        self.since = now


def buffered_display(
    model: BaseChatModel,
    prompt: str,
    show: Callable[[str], None],
    clock: Callable[[], float] = time.monotonic,
    interval: float = 0.1,
    max_chunks: int = 10,
) -> str:
    batch = Batch(show, since=clock())
    answer = ""
    for chunk in model.stream(prompt):
        if chunk.text == "":
            continue
        answer += chunk.text
        batch.texts.append(chunk.text)
        now = clock()
        if len(batch.texts) == max_chunks or now - batch.since >= interval:
            batch.flush(now)
    batch.flush(clock())
    return answer

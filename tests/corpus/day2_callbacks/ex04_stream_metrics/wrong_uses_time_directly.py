"""Reads time.perf_counter() itself instead of self.clock(), so the given clock is ignored.

The student used the usual timer; the numbers are real seconds whatever clock the caller passed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import BaseMessage
from langchain_core.outputs import LLMResult


class StreamMetrics(BaseCallbackHandler):
    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self.clock = clock
        self.started = 0.0
        self.tokens = 0
        self.time_to_first_token = 0.0
        self.total_time = 0.0
        self.output_tokens = 0

    def on_chat_model_start(
        self, serialized: dict[str, Any], messages: list[list[BaseMessage]], **kwargs: Any
    ) -> None:
        self.tokens = self.output_tokens = 0
        self.time_to_first_token = self.total_time = 0.0
        self.started = time.perf_counter()

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        if not token:
            return
        if self.tokens == 0:
            self.time_to_first_token = time.perf_counter() - self.started
        self.tokens += 1

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        self.total_time = time.perf_counter() - self.started
        usage = response.generations[0][0].message.usage_metadata or {}
        self.output_tokens = usage.get("output_tokens", 0)

    @property
    def tokens_per_second(self) -> float:
        return self.tokens / self.total_time if self.total_time else 0.0

"""Computes tokens_per_second over the time after the first token, not over total_time.

The student measured the generation speed alone, which is a different number from the one asked.
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
        self.started = self.clock()

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        if not token:
            return
        if self.tokens == 0:
            self.time_to_first_token = self.clock() - self.started
        self.tokens += 1

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        self.total_time = self.clock() - self.started
        usage = response.generations[0][0].message.usage_metadata or {}
        self.output_tokens = usage.get("output_tokens", 0)

    @property
    def tokens_per_second(self) -> float:
        after_first = self.total_time - self.time_to_first_token
        return self.tokens / after_first if after_first else 0.0

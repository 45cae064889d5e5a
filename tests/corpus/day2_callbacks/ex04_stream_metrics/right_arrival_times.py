"""A correct alternative: keep the arrival time of every token and derive the numbers from them.

tokens and time_to_first_token are properties over the list of arrival times, so resetting is just
starting a new list.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.outputs import LLMResult


class StreamMetrics(BaseCallbackHandler):
    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self.clock = clock
        self.started = 0.0
        self.arrivals: list[float] = []
        self.total_time = 0.0
        self.output_tokens = 0

    @property
    def tokens(self) -> int:
        return len(self.arrivals)

    @property
    def time_to_first_token(self) -> float:
        return self.arrivals[0] - self.started if self.arrivals else 0.0

    def on_chat_model_start(self, serialized: Any, messages: Any, **kwargs: Any) -> None:
        self.started, self.arrivals, self.total_time, self.output_tokens = self.clock(), [], 0.0, 0

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        if len(token) > 0:
            self.arrivals.append(self.clock())

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        self.total_time = self.clock() - self.started
        message = getattr(response.generations[0][0], "message", None)
        self.output_tokens = (getattr(message, "usage_metadata", None) or {}).get("output_tokens", 0)

    @property
    def tokens_per_second(self) -> float:
        return self.tokens / self.total_time if self.total_time > 0 else 0.0

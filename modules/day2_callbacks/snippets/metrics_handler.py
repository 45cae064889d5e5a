"""A token counter and timer: time to first token, tokens per second, checked against usage."""

import time
from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import BaseMessage
from langchain_core.outputs import LLMResult

from coursekit import FakeStreamingChatModel


class StreamTimer(BaseCallbackHandler):
    """Measures one model call from the outside, without touching the code that makes it."""

    def __init__(self) -> None:
        self.tokens = 0
        self.started = self.first_token_at = self.finished = 0.0
        self.usage: dict[str, int] = {}

    def on_chat_model_start(
        self, serialized: dict[str, Any], messages: list[list[BaseMessage]], **kwargs: Any
    ) -> None:
        self.started = time.perf_counter()

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        if not token:
            return  # an empty chunk opens the stream or carries only metadata: not a token
        if self.tokens == 0:
            self.first_token_at = time.perf_counter()
        self.tokens += 1

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        self.finished = time.perf_counter()
        self.usage = response.generations[0][0].message.usage_metadata or {}

    @property
    def time_to_first_token(self) -> float:
        return self.first_token_at - self.started

    @property
    def total_time(self) -> float:
        return self.finished - self.started

    @property
    def tokens_per_second(self) -> float:
        return self.tokens / self.total_time


timer = StreamTimer()
model = FakeStreamingChatModel.realistic(
    responses=["Time to first token is what users feel; tokens per second is how fast the rest arrives."],
    streaming=True,
)
model.invoke("What should I measure?", config={"callbacks": [timer]})
print(f"time to first token: {timer.time_to_first_token:.2f}s")
print(f"total: {timer.tokens} tokens in {timer.total_time:.2f}s = {timer.tokens_per_second:.0f} tokens/s")
print(f"counted {timer.tokens} tokens, usage_metadata says {timer.usage['output_tokens']}")

"""Exercise 4: measure a streamed answer from the outside, with a handler.

Day 1 timed a stream inside the loop that read it. A handler can take the same measurements
without touching that loop, or when there is no loop at all (``invoke()`` on a streaming
model, a chain someone else wrote). Two numbers matter: the *time to first token*, which is
what the user feels, and the *tokens per second*, which is how fast the rest arrives. The
token count can be checked against what the model itself reports in ``usage_metadata``.

Complete ``StreamMetrics``. Read the time only with ``self.clock()`` (the ``clock`` argument,
``time.perf_counter`` by default), so a test can control time and check your numbers exactly:

1. ``on_chat_model_start`` starts a new measurement: every number back to zero, and the start
   time noted, so the numbers always describe the latest call;
2. ``on_llm_new_token`` counts the tokens that are not empty in ``tokens`` (the chunks that
   open and close a stream are empty and do not count); at the first of them,
   ``time_to_first_token`` becomes the seconds since the start;
3. ``on_llm_end`` sets ``total_time`` (seconds since the start) and ``output_tokens``, the
   model's own count: ``response.generations[0][0].message.usage_metadata["output_tokens"]``.
   That message is the sum of all the chunks, so it has the usage wherever the provider put it
   (ChatOpenAI sends it on a chunk of its own, not on the last one). Some providers send no usage
   when streaming (ChatMaritaca): ``usage_metadata`` is then ``None``, and ``output_tokens``
   stays 0;
4. ``tokens_per_second`` returns ``tokens / total_time``.

Try it::

    from coursekit import FakeStreamingChatModel
    metrics = StreamMetrics()
    FakeStreamingChatModel.realistic(streaming=True).invoke("hi", config={"callbacks": [metrics]})
    print(f"{metrics.time_to_first_token:.2f} s, {metrics.tokens} tokens, {metrics.tokens_per_second:.0f}/s")
    # 0.35 s, 54 tokens, 27/s   (and metrics.output_tokens is 54 too)

Read this task in your language: ``coursekit task ex04_stream_metrics``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import BaseMessage
from langchain_core.outputs import LLMResult


class StreamMetrics(BaseCallbackHandler):
    """Token count, time to first token, total time and speed of the latest call."""

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
        # TODO: set the numbers back to zero and self.started = self.clock().
        raise NotImplementedError("on_chat_model_start")

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        # TODO: skip empty tokens; at the first real one set time_to_first_token; count it.
        raise NotImplementedError("on_llm_new_token")

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        # TODO: set total_time, and output_tokens from the message's usage_metadata.
        raise NotImplementedError("on_llm_end")

    @property
    def tokens_per_second(self) -> float:
        """How fast the answer arrived, over the whole call."""
        # TODO: return tokens / total_time.
        raise NotImplementedError("tokens_per_second")

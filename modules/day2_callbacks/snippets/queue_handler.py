"""Tokens onto a queue.Queue: the model call produces, a consumer thread displays at its own pace."""

import queue
import threading
import time
from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.outputs import LLMResult

from coursekit import FakeStreamingChatModel

DONE = object()  # put on the queue when the answer is complete


class TokenQueue(BaseCallbackHandler):
    """Hands tokens to whoever reads the queue; put() on an unbounded queue never makes the model wait."""

    def __init__(self) -> None:
        self.queue: queue.SimpleQueue[Any] = queue.SimpleQueue()  # thread-safe: any thread may put

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        if token:
            self.queue.put(token)

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        self.queue.put(DONE)

    def on_llm_error(self, error: BaseException, **kwargs: Any) -> None:
        self.queue.put(error)  # the consumer must learn about failures too, or it waits forever


def display(tokens: queue.SimpleQueue[Any]) -> None:
    """A slow consumer, e.g. a terminal UI: 40 ms per token, more than the model needs."""
    while (item := tokens.get()) is not DONE:
        if isinstance(item, BaseException):
            print(f"\n[stream failed: {item}]")
            return
        print(item, end="", flush=True)
        time.sleep(0.04)
    print()


handler = TokenQueue()
model = FakeStreamingChatModel(
    responses=["The model never waits for the screen, and the screen never blocks the model."],
    streaming=True,
    token_delay=0.01,
)
started = time.perf_counter()
consumer = threading.Thread(target=display, args=(handler.queue,))
consumer.start()
model.invoke("Decouple them.", config={"callbacks": [handler]})
model_done = time.perf_counter() - started
consumer.join()
display_done = time.perf_counter() - started
print(f"model finished after {model_done:.1f}s, display after {display_done:.1f}s")

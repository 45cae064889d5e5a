"""Tokens onto a queue.Queue: the model call produces, a consumer thread displays at its own pace."""

import queue
import threading
import time
from typing import Any

from langchain_core.callbacks import BaseCallbackHandler

from coursekit import FakeStreamingChatModel

DONE = object()  # put on the queue when the answer is complete


class TokenQueue(BaseCallbackHandler):
    """Hands tokens to whoever reads the queue; put() on an unbounded queue never makes the model wait."""

    def __init__(self) -> None:
        self.queue: queue.SimpleQueue[Any] = queue.SimpleQueue()  # thread-safe: any thread may put

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        if token:
            self.queue.put(token)


def display(tokens: queue.SimpleQueue[Any]) -> None:
    """A slow consumer, e.g. a terminal UI: 40 ms per token, more than the model needs."""
    while (item := tokens.get()) is not DONE:
        if isinstance(item, BaseException):
            print(f"[stream failed: {item}]")
            return
        print(item, end="", flush=True)
        time.sleep(0.04)
    print()


def relay(model: FakeStreamingChatModel, prompt: Any) -> None:
    """Displays one answer; the caller, not a hook, puts the end on the queue, so it always comes."""
    handler = TokenQueue()
    consumer = threading.Thread(target=display, args=(handler.queue,))
    consumer.start()
    started = time.perf_counter()
    try:
        model.invoke(prompt, config={"callbacks": [handler]})
        handler.queue.put(DONE)
    except Exception as error:  # mid-stream, or before any hook fired: on_llm_error may never run
        handler.queue.put(error)
    model_done = time.perf_counter() - started
    consumer.join()
    print(f"model finished after {model_done:.1f}s, display after {time.perf_counter() - started:.1f}s")


model = FakeStreamingChatModel(
    responses=["The model never waits for the screen, and the screen never blocks the model."],
    streaming=True,
    token_delay=0.01,
)
relay(model, "Decouple them.")
relay(model, 12345)  # not a prompt: the call fails before it starts, and no hook ever hears of it

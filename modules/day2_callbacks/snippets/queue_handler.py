"""Tokens onto an asyncio.Queue: the model call produces, another task consumes at its own pace."""

import asyncio
import time
from typing import Any

from langchain_core.callbacks import AsyncCallbackHandler
from langchain_core.outputs import LLMResult

from coursekit import FakeStreamingChatModel

DONE = object()  # put on the queue when the answer is complete


class TokenQueue(AsyncCallbackHandler):
    """Hands tokens to whoever reads the queue; put_nowait never makes the model wait."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[Any] = asyncio.Queue()

    async def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        if token:
            self.queue.put_nowait(token)

    async def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        self.queue.put_nowait(DONE)

    async def on_llm_error(self, error: BaseException, **kwargs: Any) -> None:
        self.queue.put_nowait(error)  # the consumer must learn about failures too, or it waits forever


async def display(queue: asyncio.Queue[Any]) -> None:
    """A slow consumer, e.g. a websocket: 40 ms per token, more than the model needs."""
    while (item := await queue.get()) is not DONE:
        if isinstance(item, BaseException):
            print(f"\n[stream failed: {item}]")
            return
        print(item, end="", flush=True)
        await asyncio.sleep(0.04)
    print()


async def main() -> None:
    handler = TokenQueue()
    model = FakeStreamingChatModel(
        responses=["The model never waits for the screen, and the screen never blocks the model."],
        streaming=True,
        token_delay=0.01,
    )
    started = time.perf_counter()
    consumer = asyncio.create_task(display(handler.queue))
    await model.ainvoke("Decouple them.", config={"callbacks": [handler]})
    model_done = time.perf_counter() - started
    await consumer
    display_done = time.perf_counter() - started
    print(f"model finished after {model_done:.1f}s, display after {display_done:.1f}s")


asyncio.run(main())

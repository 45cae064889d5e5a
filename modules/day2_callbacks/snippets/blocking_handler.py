"""Measure what a slow handler does to an async app: total time and the loop's longest freeze."""

import asyncio
import time
from typing import Any

from langchain_core.callbacks import AsyncCallbackHandler, BaseCallbackHandler

from coursekit import FakeStreamingChatModel

WORK = 0.1  # seconds of "work" per token: writing to a log, a database, a metrics server...


class SlowSync(BaseCallbackHandler):
    """A plain handler. In async code LangChain runs each call in a worker thread."""

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        time.sleep(WORK)


class SlowSyncInline(SlowSync):
    """The same handler forced onto the event loop's thread."""

    run_inline = True


class BlocksInsideAsync(AsyncCallbackHandler):
    """The classic mistake: a blocking call inside an async hook."""

    async def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        time.sleep(WORK)


class TrulyAsync(AsyncCallbackHandler):
    """Awaits its work, so the loop can run other tasks in the meantime."""

    async def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        await asyncio.sleep(WORK)


async def heartbeat(gaps: list[float]) -> None:
    """Ticks every 5 ms; a long gap between ticks means something blocked the loop."""
    last = time.perf_counter()
    while True:
        await asyncio.sleep(0.005)
        now = time.perf_counter()
        gaps.append(now - last)
        last = now


async def measure(handler: BaseCallbackHandler | None) -> tuple[float, float]:
    model = FakeStreamingChatModel(responses=["one two three four"], token_delay=0.02)
    gaps: list[float] = []
    ticker = asyncio.create_task(heartbeat(gaps))
    started = time.perf_counter()
    async for _ in model.astream("count", config={"callbacks": [handler] if handler else []}):
        pass
    total = time.perf_counter() - started
    ticker.cancel()
    return total, max(gaps, default=0.0)


async def main() -> None:
    for handler in (None, SlowSync(), SlowSyncInline(), BlocksInsideAsync(), TrulyAsync()):
        total, longest_gap = await measure(handler)
        # A blocked loop cannot tick for at least WORK seconds; a busy machine delays ticks far less.
        frozen = "FROZEN" if longest_gap >= WORK * 0.9 else "free"
        name = type(handler).__name__ if handler else "(no handler)"
        print(f"{name:<18} total {total:.2f}s  longest loop gap {longest_gap * 1000:3.0f} ms  loop {frozen}")


asyncio.run(main())

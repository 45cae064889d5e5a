"""Chunks per second of FakeStreamingChatModel against langchain-core's GenericFakeChatModel.

Both models stream the same long reply, in the same run, so the machine's speed and load
cancel out of the ratios. Why it matters: GenericFakeChatModel has no native ``_astream`` and
hops to a worker thread for every chunk, so a course server streaming to many students at
once would spend its time in thread hand-offs. The course's fake must stream asynchronously
at least TARGET_ASYNC times faster, and synchronously no slower than TARGET_SYNC times
GenericFakeChatModel, even though it sleeps(0) between chunks to stay fair to other tasks
and cancellable.

Each measurement is repeated, alternating the two models so that a burst of load from other
processes hits both runs of a pair alike; the verdict uses the median of the paired ratios,
and each model's median and best rate are printed. Exit status 1 when a target is missed.
Run: ``python bench/bench_fake_model.py``.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import os
import statistics
import sys
import time
from collections.abc import Callable, Coroutine
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel

from coursekit.fake_model import FakeStreamingChatModel

TARGET_ASYNC = 5.0
TARGET_SYNC = 0.8
REPETITIONS = 7
PARAGRAPH = (
    "Streaming sends an answer piece by piece while the model is still writing it, so the "
    "first words reach the reader at once. Collect the chunks, show them as they come, and "
    "read the final chunk for the finish reason and the token usage.\n\n"
)
REPLY = PARAGRAPH * 60  # about 2,700 word-like tokens


def course_fake() -> BaseChatModel:
    return FakeStreamingChatModel(responses=[REPLY])


def generic_fake() -> BaseChatModel:
    return GenericFakeChatModel(messages=itertools.repeat(REPLY))


def stream_rate(model: BaseChatModel) -> float:
    """Chunks per second of one complete ``model.stream()``."""
    started = time.perf_counter()
    chunks = sum(1 for _ in model.stream("Tell me about streaming."))
    return chunks / (time.perf_counter() - started)


async def astream_rate(model: BaseChatModel) -> float:
    """Chunks per second of one complete ``model.astream()``."""
    started = time.perf_counter()
    chunks = 0
    async for _ in model.astream("Tell me about streaming."):
        chunks += 1
    return chunks / (time.perf_counter() - started)


def measure(run: Callable[[BaseChatModel], float | Coroutine[Any, Any, float]]) -> dict[str, list[float]]:
    """Rates of both models, alternating, REPETITIONS times each (after one warm-up run each)."""
    rates: dict[str, list[float]] = {"course": [], "generic": []}
    models = {"course": course_fake(), "generic": generic_fake()}
    loop = asyncio.new_event_loop()
    try:
        for repetition in range(REPETITIONS + 1):
            for name, model in models.items():
                gc.collect()
                result = run(model)
                rate = loop.run_until_complete(result) if asyncio.iscoroutine(result) else result
                if repetition:  # the first round only warms caches and imports up
                    rates[name].append(rate)
    finally:
        loop.close()
    return rates


def report(label: str, rates: dict[str, list[float]], target: float) -> bool:
    """Print both models' rates and the median of the paired ratios; whether it meets ``target``."""
    ratio = statistics.median(course / generic for course, generic in zip(rates["course"], rates["generic"], strict=True))
    passed = ratio >= target
    course, generic = (f"{statistics.median(rates[name]):>7,.0f} (best {max(rates[name]):,.0f})" for name in rates)
    print(
        f"{label:<8} FakeStreamingChatModel {course} | GenericFakeChatModel {generic} chunks/s"
        f" | ratio {ratio:5.2f}x, target >= {target}x: {'PASS' if passed else 'FAIL'}"
    )
    return passed


def main() -> int:
    print(f"Same reply for both models ({len(REPLY):,} characters), {REPETITIONS} runs each; median chunks/s.")
    # Thread hand-offs, which GenericFakeChatModel's astream pays per chunk, slow down most
    # when other processes compete for the cores: read the ratios with the load in mind.
    print(f"Load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs.")
    async_ok = report("astream", measure(astream_rate), TARGET_ASYNC)
    sync_ok = report("stream", measure(stream_rate), TARGET_SYNC)
    return 0 if async_ok and sync_ok else 1


if __name__ == "__main__":
    sys.exit(main())

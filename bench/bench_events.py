"""Chunks per second of ``astream_events()`` against ``astream()`` on the same chain, in the same run.

Day 4's guide quotes this figure. Both loops stream ``prompt | model | StrOutputParser()`` with
the course's zero-latency fake and one long reply, so what differs is only the work of the
event machinery: a tracer that records every run, and three events per chunk here (the model's,
the parser's, the chain's). ``astream()`` counts the chain's chunks; ``astream_events()``
counts the model's ``on_chat_model_stream`` events, one per chunk as well, once with no filter
and once with ``include_types=["chat_model"]``, which drops the other events before they reach
the loop.

The three ways alternate, REPETITIONS times after a warm-up round, so that a burst of load
from other processes hits them alike; the ratios are the medians of the paired ratios. Exit
status 1 when astream_events() falls below TARGET times astream()'s rate: a sanity bound for
a regression in the fake or in langchain-core, not a promise about providers, whose network
time dwarfs both. Run: ``python bench/bench_events.py``.
"""

from __future__ import annotations

import asyncio
import gc
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable

from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable

from coursekit.fake_model import FakeStreamingChatModel

TARGET = 0.2
REPETITIONS = 7
PARAGRAPH = (
    "Events report every step of a chain: its start, each chunk it yields, and its end. "
    "Watching them costs something, and this script measures how much.\n\n"
)
REPLY = PARAGRAPH * 20  # about 600 word-like tokens
INPUT = {"question": "What do events cost?"}


def build_chain() -> Runnable:
    return ChatPromptTemplate.from_template("{question}") | FakeStreamingChatModel(responses=[REPLY]) | StrOutputParser()


async def astream_rate(chain: Runnable) -> float:
    """Chunks per second of one complete ``chain.astream()``."""
    started, chunks = time.perf_counter(), 0
    async for _ in chain.astream(INPUT):
        chunks += 1
    return chunks / (time.perf_counter() - started)


async def events_rate(chain: Runnable, **filters: list[str]) -> float:
    """Model chunks per second of one complete ``chain.astream_events()``."""
    started, chunks = time.perf_counter(), 0
    async for event in chain.astream_events(INPUT, **filters):
        chunks += event["event"] == "on_chat_model_stream"
    return chunks / (time.perf_counter() - started)


async def filtered_rate(chain: Runnable) -> float:
    return await events_rate(chain, include_types=["chat_model"])


WAYS: dict[str, Callable[[Runnable], Awaitable[float]]] = {
    "astream()": astream_rate,
    "astream_events()": events_rate,
    "astream_events(include_types=['chat_model'])": filtered_rate,
}


async def measure() -> dict[str, list[float]]:
    chain = build_chain()
    rates: dict[str, list[float]] = {name: [] for name in WAYS}
    for repetition in range(REPETITIONS + 1):
        for name, way in WAYS.items():
            gc.collect()
            rate = await way(chain)
            if repetition:  # the first round only warms caches and imports up
                rates[name].append(rate)
    return rates


def main() -> int:
    print(f"prompt | model | StrOutputParser(), one reply of {len(REPLY):,} characters, {REPETITIONS} runs each.")
    print(f"Load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs.")
    rates = asyncio.run(measure())
    baseline = rates["astream()"]
    passed = True
    for name, measured in rates.items():
        line = f"{name:<46} {statistics.median(measured):>7,.0f} chunks/s"
        if measured is not baseline:
            pairs = list(zip(measured, baseline, strict=True))
            ratio = statistics.median(rate / base for rate, base in pairs)
            extra = statistics.median(1 / rate - 1 / base for rate, base in pairs)
            passed = passed and ratio >= TARGET
            line += f" | {ratio:.2f}x astream(), {extra * 1e6:,.0f} µs more per chunk"
        print(line)
    print(f"target: astream_events() >= {TARGET}x astream(): {'PASS' if passed else 'FAIL'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())

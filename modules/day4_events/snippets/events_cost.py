"""What watching costs: chunks per second of astream() and of astream_events() on the same chain."""

import asyncio
import statistics
import time

from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate

from coursekit import FakeStreamingChatModel

# No latency at all: the model is as fast as it gets, so only LangChain's own work is measured.
model = FakeStreamingChatModel(responses=["Watching every step has a price, and here it is measured. " * 50])
chain = ChatPromptTemplate.from_template("{question}") | model | StrOutputParser()
question = {"question": "What do events cost?"}


async def astream_rate() -> float:
    started, chunks = time.perf_counter(), 0
    async for _ in chain.astream(question):
        chunks += 1
    return chunks / (time.perf_counter() - started)


async def events_rate() -> float:
    started, chunks = time.perf_counter(), 0
    async for event in chain.astream_events(question):
        chunks += event["event"] == "on_chat_model_stream"  # one per chunk, like astream()'s
    return chunks / (time.perf_counter() - started)


async def main() -> None:
    plain, watched = [], []
    for _ in range(5):  # alternate, so that a busy moment of the machine hits both alike
        plain.append(await astream_rate())
        watched.append(await events_rate())
    ratio = statistics.median(w / p for w, p in zip(watched, plain))
    extra_ms = statistics.median(1 / w - 1 / p for w, p in zip(watched, plain)) * 1000
    print(f"astream():        {statistics.median(plain):>6,.0f} chunks/s")
    print(f"astream_events(): {statistics.median(watched):>6,.0f} chunks/s, {ratio:.2f}x the rate of astream()")
    print(f"the events cost {extra_ms:.2f} ms more per chunk; a hosted model takes about 30 ms per token")


asyncio.run(main())

"""A step after the parser: a RunnableLambda collapses the stream to one chunk, a RunnableGenerator keeps it streaming."""

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

from langchain_core.output_parsers import JsonOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable, RunnableGenerator, RunnableLambda

from coursekit import get_chat_model

prompt = ChatPromptTemplate.from_messages([
    ("system", 'Answer with one JSON object with the keys "topic", "summary", "key_points" (a list of strings) and "confidence" (0 to 1).'),
    ("human", "{question}"),
])
model = get_chat_model(latency="0.3,0.02")  # a pause before the first token, when it is the fake


def with_word_count(note: dict[str, Any]) -> dict[str, Any]:
    """One object in, one object out: what the form needs besides the model's keys."""
    return {**note, "words": len(str(note.get("summary", "")).split())}


async def with_word_counts(notes: AsyncIterator[dict[str, Any]]) -> AsyncIterator[dict[str, Any]]:
    """The same step for a stream: each partial object in, each partial object out."""
    async for note in notes:
        yield with_word_count(note)


def short(chunk: Any) -> str:
    text = repr(chunk)
    return text if len(text) <= 90 else text[:89] + "…"


async def show(label: str, chain: Runnable) -> None:
    start = time.perf_counter()
    chunks, times = [], []
    async for chunk in chain.astream({"question": "Why stream JSON?"}):
        chunks.append(chunk)
        times.append(time.perf_counter() - start)
    print(f"{label}: {len(chunks)} chunk(s), the first after {times[0]:.2f} s, the last after {times[-1]:.2f} s")
    print(f"  first: {short(chunks[0])}")
    print(f"  last:  {short(chunks[-1])}")


async def main() -> None:
    parsed = prompt | model | JsonOutputParser()
    await show("JsonOutputParser alone", parsed)
    await show("then a RunnableLambda", parsed | RunnableLambda(with_word_count))
    await show("then a RunnableGenerator", parsed | RunnableGenerator(with_word_counts))
    # With diff=True the chunks are lists of operations, and lists add up: the function gets them all in one.
    counted = prompt | model | JsonOutputParser(diff=True) | RunnableLambda(len)
    counts = [count async for count in counted.astream({"question": "Why stream JSON?"})]
    print(f"after diff=True, a RunnableLambda runs {len(counts)} time(s), on one list of {counts[0]} operations: every patch at once")


asyncio.run(main())

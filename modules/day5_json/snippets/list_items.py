"""Yield each item of a JSON array as soon as its object closes, not when the whole array ends."""

import asyncio
import json
import re
from collections.abc import AsyncIterator
from typing import Any

from langchain_core.messages import AIMessageChunk
from langchain_core.output_parsers import JsonOutputParser

from coursekit import FakeStreamingChatModel

CITIES = {
    "cities": [
        {"name": "Recife", "why": "bridges over two rivers"},
        {"name": "Salvador", "why": "the oldest capital"},
        {"name": "Manaus", "why": "the meeting of the waters"},
    ],
    "advice": "Fly between them: the distances are long, and the roads slow.",
}
model = FakeStreamingChatModel(rules={"cities": CITIES}, latency="realistic")
question = "Three cities to visit in Brazil, as JSON: cities"
decoder = json.JSONDecoder()


async def closed_items(chunks: AsyncIterator[AIMessageChunk], key: str) -> AsyncIterator[tuple[int, Any]]:
    """(chunk number, item) for each item of the array under ``key``, right after the chunk that closes it."""
    text, number, position = "", 0, None  # position: where the next item starts, once the array has begun
    async for chunk in chunks:
        number, text = number + 1, text + chunk.text
        if position is None:
            opening = re.search(rf'"{re.escape(key)}"\s*:\s*\[', text)
            if opening is None:
                continue
            position = opening.end()
        while True:
            while position < len(text) and text[position] in " \t\r\n,":
                position += 1
            if position >= len(text) or text[position] == "]":
                break
            try:  # raw_decode reads one whole value, and fails while its closing brace is still to come
                item, position = decoder.raw_decode(text, position)
            except json.JSONDecodeError:
                break
            yield number, item


async def main() -> None:
    print("As each object closes:")
    closed = []
    async for number, item in closed_items(model.astream(question), "cities"):
        closed.append(number)
        print(f"  after chunk {number:>2}: {item}")

    print("From JsonOutputParser's partials, an item is known to be done only once the next one starts:")
    number, done = 0, []

    async def counted(chunks: AsyncIterator[AIMessageChunk]) -> AsyncIterator[AIMessageChunk]:
        nonlocal number
        async for chunk in chunks:
            number += 1
            yield chunk

    async for partial in JsonOutputParser().atransform(counted(model.astream(question))):
        items = partial.get("cities", [])
        while len(items) > len(done) + 1:
            done.append(number)
            print(f"  after chunk {number:>2}: {items[len(done) - 1]}")
    done.append(number)
    print(f"  after chunk {number:>2}, the end of the stream: {items[-1]}")
    print(f"Each item as it closes came sooner by {', '.join(str(b - a) for a, b in zip(closed, done))} chunk(s).")


asyncio.run(main())

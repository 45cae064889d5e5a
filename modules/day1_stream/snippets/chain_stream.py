"""Stream an LCEL chain, and see what a chunk is after each step."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable, RunnableLambda

from coursekit import get_chat_model

prompt = ChatPromptTemplate.from_messages(
    [
        ("system", "You are a concise teacher."),
        ("human", "Explain {topic} in two sentences."),
    ]
)
model = get_chat_model()
inputs = {"topic": "streaming"}


def shout(text: str) -> str:
    """A plain function sees only the finished text: it waits for the whole answer."""
    return text.upper()


async def shout_as_it_comes(pieces: AsyncIterator[str]) -> AsyncIterator[str]:
    """An async generator receives the pieces one by one, so the chain keeps streaming."""
    async for piece in pieces:
        yield piece.upper()


def describe(chunk: Any) -> str:
    """A short view of one chunk: the start of its text, or its type when it has no text."""
    if not isinstance(chunk, str) and not hasattr(chunk, "text"):
        return type(chunk).__name__
    text = str(chunk) if isinstance(chunk, str) else chunk.text
    return repr(text if len(text) <= 20 else text[:20] + "...")


async def show_chunks(label: str, runnable: Runnable) -> None:
    chunks = [chunk async for chunk in runnable.astream(inputs)]
    kind = "str" if isinstance(chunks[0], str) else type(chunks[0]).__name__
    first = ", ".join(describe(chunk) for chunk in chunks[:3])
    print(f"{label:<42} {len(chunks):>3} x {kind:<15} {first}")


async def main() -> None:
    await show_chunks("prompt", prompt)
    await show_chunks("prompt | model", prompt | model)
    await show_chunks("prompt | model | StrOutputParser()", prompt | model | StrOutputParser())
    await show_chunks("... | StrOutputParser() | shout", prompt | model | StrOutputParser() | RunnableLambda(shout))
    await show_chunks("... | StrOutputParser() | shout_as_it_comes", prompt | model | StrOutputParser() | shout_as_it_comes)

    print()
    chain = prompt | model | StrOutputParser()
    async for text in chain.astream(inputs):
        print(text, end="", flush=True)
    print()


asyncio.run(main())

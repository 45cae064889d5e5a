"""Fetches all sources at once with asyncio.gather, each announcing itself first.

Faster, but every announcement goes out before the first lookup is back, so the progress no longer
marks where the work is; the task asks for one lookup after the other.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any

from langchain_core.callbacks import adispatch_custom_event
from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable, RunnableLambda

Fetch = Callable[[str, str], Awaitable[str]]
"""``await fetch(source, question)``: the notes one source has about the question (slow)."""

PROMPT = ChatPromptTemplate.from_template("Answer from these notes:\n{notes}\n\nQuestion: {question}")


async def gather_notes(question: str, sources: Sequence[str], fetch: Fetch) -> str:
    async def one(step: int, source: str) -> str:
        await adispatch_custom_event("progress", {"source": source, "step": step, "total": len(sources)})
        return await fetch(source, question)

    notes = await asyncio.gather(*(one(step, source) for step, source in enumerate(sources, start=1)))
    return "\n".join(notes)


def build_chain(model: BaseChatModel, sources: Sequence[str], fetch: Fetch) -> Runnable:
    """question -> notes from every source -> the model's answer, as text."""

    async def with_notes(question: str) -> dict[str, str]:
        return {"question": question, "notes": await gather_notes(question, sources, fetch)}

    return RunnableLambda(with_notes).with_config(run_name="gather_notes") | PROMPT | model | StrOutputParser()


async def watch(chain: Runnable, inputs: Any) -> AsyncIterator[tuple[str, Any]]:
    """``("progress", data)`` for each progress event and ``("token", text)`` for each model token, as they come."""
    async for event in chain.astream_events(inputs, version="v2"):
        if event["event"] == "on_custom_event" and event["name"] == "progress":
            yield "progress", event["data"]
        elif event["event"] == "on_chat_model_stream" and event["data"]["chunk"].text:
            yield "token", event["data"]["chunk"].text

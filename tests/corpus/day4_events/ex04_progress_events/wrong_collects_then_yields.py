"""Collects the progress and the tokens in a list and yields them once the run is over.

The order is right, but the progress arrives after the work it announces, and the tokens after
the model has finished: a progress bar that fills only when there is nothing left to wait for.
"""

from __future__ import annotations

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
    """Fetch the notes of every source in turn, announcing each lookup as a ``progress`` event."""
    notes = []
    for step, source in enumerate(sources, start=1):
        await adispatch_custom_event("progress", {"source": source, "step": step, "total": len(sources)})
        notes.append(await fetch(source, question))
    return "\n".join(notes)


def build_chain(model: BaseChatModel, sources: Sequence[str], fetch: Fetch) -> Runnable:
    """question -> notes from every source -> the model's answer, as text."""

    async def with_notes(question: str) -> dict[str, str]:
        return {"question": question, "notes": await gather_notes(question, sources, fetch)}

    return RunnableLambda(with_notes).with_config(run_name="gather_notes") | PROMPT | model | StrOutputParser()


async def watch(chain: Runnable, inputs: Any) -> AsyncIterator[tuple[str, Any]]:
    items = []
    async for event in chain.astream_events(inputs, version="v2"):
        if event["event"] == "on_custom_event" and event["name"] == "progress":
            items.append(("progress", event["data"]))
        elif event["event"] == "on_chat_model_stream" and event["data"]["chunk"].text:
            items.append(("token", event["data"]["chunk"].text))
    for item in items:
        yield item

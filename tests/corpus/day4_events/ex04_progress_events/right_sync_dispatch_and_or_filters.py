"""Correct: dispatches with the sync dispatch_custom_event from a while loop, and lets include_names / include_types (OR-ed) pick the events."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any

from langchain_core.callbacks import dispatch_custom_event
from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable, RunnableLambda

Fetch = Callable[[str, str], Awaitable[str]]
"""``await fetch(source, question)``: the notes one source has about the question (slow)."""

PROMPT = ChatPromptTemplate.from_template("Answer from these notes:\n{notes}\n\nQuestion: {question}")


async def gather_notes(question: str, sources: Sequence[str], fetch: Fetch) -> str:
    notes: list[str] = []
    while len(notes) < len(sources):
        source = sources[len(notes)]
        dispatch_custom_event("progress", {"source": source, "step": len(notes) + 1, "total": len(sources)})
        notes.append(await fetch(source, question))
    return "\n".join(notes)


def build_chain(model: BaseChatModel, sources: Sequence[str], fetch: Fetch) -> Runnable:
    """question -> notes from every source -> the model's answer, as text."""

    async def with_notes(question: str) -> dict[str, str]:
        return {"question": question, "notes": await gather_notes(question, sources, fetch)}

    return RunnableLambda(with_notes).with_config(run_name="gather_notes") | PROMPT | model | StrOutputParser()


async def watch(chain: Runnable, inputs: Any) -> AsyncIterator[tuple[str, Any]]:
    events = chain.astream_events(inputs, version="v2", include_names=["progress"], include_types=["chat_model"])
    async for event in events:
        if event["event"] == "on_custom_event":
            yield ("progress", event["data"])
        elif event["event"] == "on_chat_model_stream":
            text = event["data"]["chunk"].text
            if text:
                yield ("token", text)

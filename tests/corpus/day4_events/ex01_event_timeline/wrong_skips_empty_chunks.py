"""Leaves out the stream events whose chunk is empty, to keep the timeline "clean".

The student sees a few stream events with no text at the start and the end of the stream and
drops them as noise; but they are events of the run like any other, and the provider decides
how many there are.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from langchain_core.runnables import Runnable


async def timeline(chain: Runnable, inputs: Any) -> AsyncIterator[tuple[str, str]]:
    async for event in chain.astream_events(inputs, version="v2"):
        chunk = event["data"].get("chunk")
        if chunk is not None and not getattr(chunk, "content", chunk):
            continue
        yield event["event"], event["name"]


def predicted_timeline(model_name: str, chunks: int) -> list[tuple[str, str]]:
    events = [
        ("on_chain_start", "RunnableSequence"),
        ("on_prompt_start", "ChatPromptTemplate"),
        ("on_prompt_end", "ChatPromptTemplate"),
        ("on_chat_model_start", model_name),
    ]
    for number in range(chunks):
        events.append(("on_chat_model_stream", model_name))
        if number == 0:
            events.append(("on_parser_start", "StrOutputParser"))
        events += [("on_parser_stream", "StrOutputParser"), ("on_chain_stream", "RunnableSequence")]
    events += [("on_chat_model_end", model_name), ("on_parser_end", "StrOutputParser"), ("on_chain_end", "RunnableSequence")]
    return events

"""Yields only the model's stream events that carry text, read with event["data"]["chunk"].text.

The student thinks a timeline of the stream means "the words": empty chunks, the parser's and
the chain's stream events are left out, so the timeline no longer shows every step.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from langchain_core.runnables import Runnable


async def timeline(chain: Runnable, inputs: Any) -> AsyncIterator[tuple[str, str]]:
    async for event in chain.astream_events(inputs, version="v2"):
        if event["event"].endswith("_stream"):
            if event["event"] == "on_chat_model_stream" and event["data"]["chunk"].text:
                yield event["event"], event["name"]
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

"""Collects every event in a list first and yields the pairs only once the chain is done.

The pairs and their order are right, but nobody sees the chain work: the reader gets the whole
timeline at the end, as a log.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from langchain_core.runnables import Runnable


async def timeline(chain: Runnable, inputs: Any) -> AsyncIterator[tuple[str, str]]:
    events = [event async for event in chain.astream_events(inputs, version="v2")]
    for event in events:
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

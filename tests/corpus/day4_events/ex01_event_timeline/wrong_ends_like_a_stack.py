"""Predicts that the runs end like a call stack unwinds: the parser first, then the model, then the chain.

The last run to start seems the first to finish, as with nested function calls. But the model's
stream ends first, and only then can the parser, and after it the chain, end.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from langchain_core.runnables import Runnable


async def timeline(chain: Runnable, inputs: Any) -> AsyncIterator[tuple[str, str]]:
    async for event in chain.astream_events(inputs, version="v2"):
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
        events.append(("on_parser_stream", "StrOutputParser"))
        events.append(("on_chain_stream", "RunnableSequence"))
    events.append(("on_parser_end", "StrOutputParser"))
    events.append(("on_chat_model_end", model_name))
    events.append(("on_chain_end", "RunnableSequence"))
    return events

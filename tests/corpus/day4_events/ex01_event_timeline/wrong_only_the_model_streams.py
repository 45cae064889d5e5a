"""Predicts one on_chat_model_stream per chunk and nothing else while the model streams.

The student thinks of the stream as the model's alone; but each chunk then flows through the
parser and out of the chain, and each of those steps sends its own stream event.
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
    events += [("on_chat_model_stream", model_name)] * chunks
    events += [
        ("on_parser_start", "StrOutputParser"),
        ("on_chat_model_end", model_name),
        ("on_parser_end", "StrOutputParser"),
        ("on_chain_end", "RunnableSequence"),
    ]
    return events

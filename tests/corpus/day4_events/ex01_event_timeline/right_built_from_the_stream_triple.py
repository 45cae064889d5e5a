"""Reads the events with anext() in a while loop, and builds the prediction from the stream triple, inserting the parser's start."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from langchain_core.runnables import Runnable


async def timeline(chain: Runnable, inputs: Any) -> AsyncIterator[tuple[str, str]]:
    events = chain.astream_events(inputs, version="v2")
    while True:
        try:
            event = await anext(events)
        except StopAsyncIteration:
            return
        yield (event["event"], event["name"])


def predicted_timeline(model_name: str, chunks: int) -> list[tuple[str, str]]:
    steps = {"chain": "RunnableSequence", "prompt": "ChatPromptTemplate", "chat_model": model_name, "parser": "StrOutputParser"}
    opening = [(f"on_{kind}_start", steps[kind]) for kind in ("chain", "prompt")] + [("on_prompt_end", steps["prompt"])]
    opening.append(("on_chat_model_start", model_name))
    streaming = [(f"on_{kind}_stream", steps[kind]) for kind in ("chat_model", "parser", "chain")] * chunks
    if chunks:
        streaming.insert(1, ("on_parser_start", steps["parser"]))
    closing = [(f"on_{kind}_end", steps[kind]) for kind in ("chat_model", "parser", "chain")]
    return opening + streaming + closing

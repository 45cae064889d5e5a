"""Exercise 1 (solution): the timeline of every event of ``prompt | model | parser``, recorded and predicted.

``timeline`` yields each pair the moment ``astream_events`` hands its event over, so a reader
watches the chain work instead of reading a log at the end. ``predicted_timeline`` writes the
same order down from the v2 schema: the parser starts only once the model's first chunk reaches
it, every chunk (the empty ones too) flows through the model, the parser and the chain, and the
runs end in the order their streams finish: the model, the parser, the chain.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from langchain_core.runnables import Runnable

CHAIN = "RunnableSequence"
PROMPT = "ChatPromptTemplate"
PARSER = "StrOutputParser"


async def timeline(chain: Runnable, inputs: Any) -> AsyncIterator[tuple[str, str]]:
    """``(event, name)`` of every v2 event of one run of ``chain``, as each one arrives."""
    async for event in chain.astream_events(inputs, version="v2"):
        yield event["event"], event["name"]


def predicted_timeline(model_name: str, chunks: int) -> list[tuple[str, str]]:
    """The timeline of ``ChatPromptTemplate | model | StrOutputParser()`` when the model streams ``chunks`` chunks."""
    stream = [("on_chat_model_stream", model_name), ("on_parser_stream", PARSER), ("on_chain_stream", CHAIN)]
    events = [
        ("on_chain_start", CHAIN),
        ("on_prompt_start", PROMPT),
        ("on_prompt_end", PROMPT),
        ("on_chat_model_start", model_name),
    ]
    for number in range(chunks):
        if number == 0:
            events += [stream[0], ("on_parser_start", PARSER), *stream[1:]]
        else:
            events += stream
    return events + [("on_chat_model_end", model_name), ("on_parser_end", PARSER), ("on_chain_end", CHAIN)]

"""Exercise 1: record the timeline of a chain's events, then predict it exactly.

``chain.astream()`` shows you what the *last* step produces. ``chain.astream_events(inputs,
version="v2")`` shows you every step: each run of the chain (the chain itself, the prompt, the
model, the parser) sends an event when it starts, one per chunk while it streams, and one when
it ends. Every event is a dict; its ``"event"`` key says what happened (``"on_chat_model_stream"``)
and its ``"name"`` which step it came from: the class name (``"ChatPromptTemplate"``), or the name
given with ``.with_config(run_name=...)``.

Write two functions:

1. the async generator ``timeline(chain, inputs)``: run ``chain.astream_events(inputs,
   version="v2")`` once and yield ``(event["event"], event["name"])`` for every event, the moment
   it arrives. Keep them all, also the stream events of the empty chunks that open and close the
   model's stream: they flow through the whole chain like text;
2. ``predicted_timeline(model_name, chunks)``: the list of pairs you expect for
   ``ChatPromptTemplate | model | StrOutputParser()``, with the model named ``model_name``,
   when it streams ``chunks`` chunks. Work it out from the output of ``timeline``, then write
   it as rules, not as a copy: it must hold for any number of chunks. Look closely at where
   ``on_parser_start`` falls, and in which order the three runs end.

Try it::

    import asyncio
    from langchain_core.output_parsers import StrOutputParser
    from langchain_core.prompts import ChatPromptTemplate
    from coursekit import FakeStreamingChatModel

    chain = ChatPromptTemplate.from_template("Tell me about {topic}") | FakeStreamingChatModel() | StrOutputParser()

    async def main():
        async for event, name in timeline(chain, {"topic": "events"}):
            print(f"{event:22} {name}")

    asyncio.run(main())

It prints ``on_chain_start         RunnableSequence`` first and ``on_chain_end           RunnableSequence``
last, with the prompt, the model and the parser in between.

Read this task in your language: ``coursekit task ex01_event_timeline``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from langchain_core.runnables import Runnable


async def timeline(chain: Runnable, inputs: Any) -> AsyncIterator[tuple[str, str]]:
    """``(event, name)`` of every v2 event of one run of ``chain``, as each one arrives."""
    # TODO: async for event in chain.astream_events(inputs, version="v2"): yield the pair.
    raise NotImplementedError("timeline")
    yield  # a `yield` anywhere makes this function an async generator


def predicted_timeline(model_name: str, chunks: int) -> list[tuple[str, str]]:
    """The timeline of ``ChatPromptTemplate | model | StrOutputParser()`` when the model streams ``chunks`` chunks."""
    # TODO: the chain starts, the prompt starts and ends, the model starts; then, for each chunk,
    # its stream events (the first chunk also starts the parser); then the three runs end.
    raise NotImplementedError("predicted_timeline")

"""Exercise 2: show a model's tokens from a chain whose last step does not stream.

Many chains end in a step that needs the whole answer: a function that counts words, checks a
fact or builds a dict. ``chain.astream()`` streams what the *last* step streams, and a plain
function streams nothing, so ``astream()`` hands you the whole result at the end and the reader
stares at a blank screen meanwhile. The same happens when a step calls the model itself
(``await model.ainvoke(...)`` inside a function). The events see through both: every chunk the
model writes is an ``on_chat_model_stream`` event, whichever step called it, and its
``event["data"]["chunk"]`` is the ``AIMessageChunk``.

Write the coroutine ``stream_tokens(chain, inputs, on_token)``:

1. run ``chain.astream_events(inputs, version="v2")`` and call ``on_token(text)`` with the
   ``.text`` of each chunk of an ``on_chat_model_stream`` event, the moment it arrives; skip
   the empty chunks that open and close the model's stream (whitespace is text: pass it on);
2. return the chain's own output, from the same run: the ``event["data"]["output"]`` of the
   chain's ``on_chain_end``. Every step ends with an ``on_chain_end`` or similar; the chain's
   is the one of the run that has no parent, ``event["parent_ids"] == []``. Don't call the
   chain a second time to get it: that asks the model for a second answer.

Try it::

    import asyncio
    from langchain_core.output_parsers import StrOutputParser
    from langchain_core.prompts import ChatPromptTemplate
    from coursekit import FakeStreamingChatModel

    def summarise(text: str) -> dict:
        return {"answer": text, "words": len(text.split())}

    chain = ChatPromptTemplate.from_template("Tell me about {topic}") | FakeStreamingChatModel.realistic() | StrOutputParser() | summarise
    output = asyncio.run(stream_tokens(chain, {"topic": "events"}, lambda text: print(text, end="", flush=True)))
    print()
    print(output["words"], "words")

The answer appears word by word; then the word count, which only the end of the chain knows.

Read this task in your language: ``coursekit task ex02_tokens_through_events``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.runnables import Runnable


async def stream_tokens(chain: Runnable, inputs: Any, on_token: Callable[[str], None]) -> Any:
    """Pass each of the model's tokens to ``on_token`` as it streams; return the chain's output."""
    # TODO: async for event in chain.astream_events(inputs, version="v2"): on an
    # "on_chat_model_stream" event with text, call on_token; on the "on_chain_end" event whose
    # parent_ids is empty, keep event["data"]["output"]. Return it after the loop.
    raise NotImplementedError("stream_tokens")

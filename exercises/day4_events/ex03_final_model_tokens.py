"""Exercise 3: two models in one chain; stream only the final one's tokens.

A common chain writes an answer twice: a quick *draft* model writes a first version, and a
*final* model improves it. The user should see only the final answer as it is written, not the
draft. ``astream_events`` reports the chunks of both models as ``on_chat_model_stream`` events,
and both are the same class, so neither the event type nor the class name tells them apart.
What does is a run name: ``model.with_config(run_name="final")`` names that step's run, and its
events carry the name in ``event["name"]``. The chain you receive is built like this::

    chain = (
        draft_prompt | draft_model.with_config(run_name="draft") | StrOutputParser()
        | (lambda draft: {"draft": draft})
        | final_prompt | final_model.with_config(run_name="final") | StrOutputParser()
    )

Write the async generator ``tokens_of(chain, inputs, run_name)``:

1. run ``chain.astream_events(inputs, version="v2")`` once and yield the ``.text`` of the chunk
   of every ``on_chat_model_stream`` event whose ``name`` is ``run_name``, the moment it
   arrives; skip the empty chunks;
2. nothing else: not the other model's tokens, not the parsers' stream events (there is a
   parser after each model), and not the chain's own stream, which shows only what its last
   step produces. It must work for any ``run_name``, the draft's too, and for a chain that
   ends in a step that does not stream.

Try it::

    import asyncio
    from langchain_core.output_parsers import StrOutputParser
    from langchain_core.prompts import ChatPromptTemplate
    from coursekit import FakeStreamingChatModel

    model = FakeStreamingChatModel.realistic(rules={"Improve": "A better answer.", "Draft": "A quick draft."})
    chain = (
        ChatPromptTemplate.from_template("Draft an answer: {question}") | model.with_config(run_name="draft")
        | StrOutputParser() | (lambda draft: {"draft": draft})
        | ChatPromptTemplate.from_template("Improve this: {draft}") | model.with_config(run_name="final")
        | StrOutputParser()
    )

    async def main():
        async for text in tokens_of(chain, {"question": "Why stream?"}, "final"):
            print(text, end="", flush=True)

    asyncio.run(main())

It prints "A better answer." word by word, after a pause while the draft is written unseen.

Read this task in your language: ``coursekit task ex03_final_model_tokens``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from langchain_core.runnables import Runnable


async def tokens_of(chain: Runnable, inputs: Any, run_name: str) -> AsyncIterator[str]:
    """The text of each chunk streamed by the model run named ``run_name``, as it arrives."""
    # TODO: async for event in chain.astream_events(inputs, version="v2"): keep the
    # "on_chat_model_stream" events whose name is run_name, and yield their chunk's text if any.
    raise NotImplementedError("tokens_of")
    yield  # a `yield` anywhere makes this function an async generator

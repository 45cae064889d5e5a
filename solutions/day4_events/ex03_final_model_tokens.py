"""Exercise 3 (solution): only one model's tokens, told apart from the other's by its run name.

Both models are the same kind of object, so their stream events share an event type and a class
name; ``.with_config(run_name=...)`` is what gives each run a name of its own, and the events
carry it in ``event["name"]``. Filtering on the event type *and* the name keeps exactly the
chosen model's chunks, whichever order the models run in and whatever steps follow them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from langchain_core.runnables import Runnable


async def tokens_of(chain: Runnable, inputs: Any, run_name: str) -> AsyncIterator[str]:
    """The text of each chunk streamed by the model run named ``run_name``, as it arrives."""
    async for event in chain.astream_events(inputs, version="v2"):
        if event["event"] == "on_chat_model_stream" and event["name"] == run_name:
            text = event["data"]["chunk"].text
            if text:
                yield text

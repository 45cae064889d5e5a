"""Exercise 4: a slow step reports its progress with custom events, before the answer streams.

Before a model can answer, a chain often does slow work of its own: it searches documents, calls
an API, reads a database. Streaming the answer does not help while that runs: the first token is
seconds away and the screen is blank. A step can tell the user what it is doing instead, by
sending *custom events* from inside the run::

    from langchain_core.callbacks import adispatch_custom_event
    await adispatch_custom_event("progress", {"source": "docs", "step": 1, "total": 3})

They reach ``astream_events`` as events of type ``"on_custom_event"``: ``event["name"]`` is the
name you dispatched (``"progress"``) and ``event["data"]`` is your dict itself. A custom event
needs a running step to belong to: called outside a chain, the dispatch raises. (On Python 3.11
and later the running step is found by itself; below 3.11 you would pass the step's ``config``.)

``build_chain`` is done: its first step calls your ``gather_notes`` and hands the notes to the
model. Write:

1. ``gather_notes(question, sources, fetch)``: for each source, in order, first dispatch a
   ``"progress"`` event with the data ``{"source": source, "step": n, "total": len(sources)}``
   (``n`` counts from 1), then ``await fetch(source, question)``, which is slow. Fetch one
   source after the other, and announce each one just before its own lookup: not all at once
   at the start, not after the lookup. Return the notes joined with ``"\n"``;
2. the async generator ``watch(chain, inputs)``: run ``chain.astream_events(inputs,
   version="v2")`` and yield, the moment each event arrives, ``("progress", event["data"])``
   for an ``on_custom_event`` named ``"progress"`` (ignore custom events with other names), and
   ``("token", text)`` for each non-empty chunk of an ``on_chat_model_stream`` event. Careful
   with filters: a custom event's type is its own, so ``include_types=["chain"]`` would drop it
   (and with any ``include_*`` filter, LangChain adds the chain's input to the data of the first
   event it yields, which may be your first progress event).

Try it::

    import asyncio
    from coursekit import FakeStreamingChatModel

    async def fetch(source: str, question: str) -> str:
        await asyncio.sleep(0.5)
        return f"{source} says: streaming shows text sooner."

    async def main():
        chain = build_chain(FakeStreamingChatModel.realistic(), ["docs", "forum", "blog"], fetch)
        async for kind, value in watch(chain, "Why stream?"):
            if kind == "progress":
                print(f"[{value['step']}/{value['total']}] searching {value['source']}...")
            else:
                print(value, end="", flush=True)
        print()

    asyncio.run(main())

Three progress lines appear half a second apart, then the answer streams word by word.

Read this task in your language: ``coursekit task ex04_progress_events``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any

from langchain_core.callbacks import adispatch_custom_event  # noqa: F401  (gather_notes needs it)
from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable, RunnableLambda

Fetch = Callable[[str, str], Awaitable[str]]
"""``await fetch(source, question)``: the notes one source has about the question (slow)."""

PROMPT = ChatPromptTemplate.from_template("Answer from these notes:\n{notes}\n\nQuestion: {question}")


async def gather_notes(question: str, sources: Sequence[str], fetch: Fetch) -> str:
    """Fetch the notes of every source in turn, announcing each lookup as a ``progress`` event."""
    # TODO: for each source (number them from 1): await adispatch_custom_event("progress", {...}),
    # then await fetch(source, question). Return the notes joined with "\n".
    raise NotImplementedError("gather_notes")


def build_chain(model: BaseChatModel, sources: Sequence[str], fetch: Fetch) -> Runnable:
    """question -> notes from every source -> the model's answer, as text."""

    async def with_notes(question: str) -> dict[str, str]:
        return {"question": question, "notes": await gather_notes(question, sources, fetch)}

    return RunnableLambda(with_notes).with_config(run_name="gather_notes") | PROMPT | model | StrOutputParser()


async def watch(chain: Runnable, inputs: Any) -> AsyncIterator[tuple[str, Any]]:
    """``("progress", data)`` for each progress event and ``("token", text)`` for each model token, as they come."""
    # TODO: async for event in chain.astream_events(inputs, version="v2"): an "on_custom_event"
    # named "progress" gives ("progress", event["data"]); a model chunk with text gives ("token", text).
    raise NotImplementedError("watch")
    yield  # a `yield` anywhere makes this function an async generator

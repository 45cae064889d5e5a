"""Exercise 1: show a JSON answer key by key, each key only once its value is finished.

A form that fills itself in should not show "Rio de Ja" in the city field, or a population of
6 that turns into 6.7 a moment later. ``model | JsonOutputParser()`` streams the answer as
growing partial dicts, and the parser closes whatever is still open: a string being written is
shown cut short, a number, a list or an object too. Only the *last* key of a partial can still be
growing: each key before it was closed by the one that follows it. The last key is finished only
when the object closes, at the end of the stream.

Write the async generator ``complete_snapshots(model, question)``:

1. stream ``model | JsonOutputParser()`` once with ``astream(question)``, and each time one more
   key is finished, yield a snapshot: a new dict of the finished keys and their values, in the
   answer's order. Every snapshot is bigger than the one before, and its values never change:
   yield nothing while a value is still growing;
2. yield each snapshot the moment a partial shows its key finished, not after the loop; once the
   stream ends, yield the whole object if its last key has not been shown yet.

Try it::

    import asyncio
    from coursekit import FakeStreamingChatModel

    model = FakeStreamingChatModel.realistic(
        rules={"Rio": {"city": "Rio de Janeiro", "country": "Brazil", "population_millions": 6.7}}
    )

    async def main():
        async for snapshot in complete_snapshots(model, "Describe Rio as JSON"):
            print(snapshot)

    asyncio.run(main())

It prints ``{'city': 'Rio de Janeiro'}``, then the same with the country, then all three keys,
never a city cut short.

Read this task in your language: ``coursekit task ex01_complete_keys``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import JsonOutputParser  # noqa: F401  (you will need it)


async def complete_snapshots(model: BaseChatModel, question: str) -> AsyncIterator[dict[str, Any]]:
    """The answer's finished keys, a new dict each time one more key is finished."""
    # TODO: async for partial in (model | JsonOutputParser()).astream(question): every key but the
    # last is finished; yield a new dict of them when there are more than last time. After the
    # loop, yield the whole object if its last key is still to be shown.
    raise NotImplementedError("complete_snapshots")
    yield  # a `yield` anywhere makes this function an async generator

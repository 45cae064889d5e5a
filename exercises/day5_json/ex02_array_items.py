"""Exercise 2: yield each item of a JSON array the moment the chunk that closes it arrives.

A list of results ({"cities": [{...}, {...}, {...}]}) can be shown item by item, each card as
soon as the model has finished it, instead of when the whole array ends. A partial parser does
not tell you when that is: it closes whatever is open, so its list always ends with an item
that may be finished or not, and you learn it was finished only when the next one starts, a
chunk later. The text tells you at once: ``json.JSONDecoder().raw_decode(text, position)``
reads one whole JSON value starting at ``position`` and returns it with the position where it
ended, and it raises ``json.JSONDecodeError`` for a value that is cut short.

Write the async generator ``array_items(model, question, key)``:

1. stream the model's answer once (``model.astream(question)``) and add up the text of its
   chunks. Once the text holds ``"<key>": [``, the array has opened: its first item starts
   right after the ``[``;
2. after every chunk, read each item that has closed since the last one with ``raw_decode``,
   skipping the spaces and commas between items, and yield it the moment it is whole: exactly
   the items, in order, each once. Stop reading at the first item still being written (it will
   close in a later chunk), and for good at the ``]`` that ends the array.

A closing brace is not enough: an item can hold objects of its own, and strings can hold braces.

Try it::

    import asyncio
    from coursekit import FakeStreamingChatModel

    cities = [{"name": "Rio de Janeiro", "sights": ["Sugarloaf"]}, {"name": "Recife", "sights": []}]
    model = FakeStreamingChatModel.realistic(rules={"cities": {"cities": cities, "note": "by the sea"}})

    async def main():
        async for city in array_items(model, "Name two cities by the sea", "cities"):
            print(city)

    asyncio.run(main())

It prints Rio's dict while the model is still writing Recife's, then Recife's.

Read this task in your language: ``coursekit task ex02_array_items``.
"""

from __future__ import annotations

import json  # noqa: F401  (you will need these)
import re  # noqa: F401
from collections.abc import AsyncIterator
from typing import Any

from langchain_core.language_models import BaseChatModel


async def array_items(model: BaseChatModel, question: str, key: str) -> AsyncIterator[Any]:
    """Each item of the answer's array ``key``, as soon as the model has closed it."""
    # TODO: async for chunk in model.astream(question): text += chunk.text; once '"<key>": [' is
    # in the text, keep the position after it; then, after each chunk, raw_decode every item that
    # has closed (skip " ,\n" between them), yield it, and move the position past it.
    raise NotImplementedError("array_items")
    yield  # a `yield` anywhere makes this function an async generator

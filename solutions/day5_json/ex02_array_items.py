"""Exercise 2 (solution): each item of a JSON array, the moment the chunk that closes it arrives.

A partial parser closes whatever is open, so its partial list always ends with an item that may
be finished or not, and nothing in the partial tells which: the item is known to be whole only
once the next one starts, a chunk later. The text knows at once. ``json.JSONDecoder.raw_decode``
reads one whole JSON value from a position in a string and fails on a value cut short, so after
each chunk it reads every item that has closed since the last one, and stops at the first that
is still being written.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from typing import Any

from langchain_core.language_models import BaseChatModel

BETWEEN_ITEMS = " \t\r\n,"


async def array_items(model: BaseChatModel, question: str, key: str) -> AsyncIterator[Any]:
    """Each item of the answer's array ``key``, as soon as the model has closed it."""
    decoder = json.JSONDecoder()
    text = ""
    position: int | None = None  # where the next item may start, once the array has opened
    ended = False
    async for chunk in model.astream(question):
        text += chunk.text
        if position is None:
            opened = re.search(rf'"{re.escape(key)}"\s*:\s*\[', text)
            if opened is None:
                continue
            position = opened.end()
        while not ended:
            while position < len(text) and text[position] in BETWEEN_ITEMS:
                position += 1
            if position == len(text):
                break
            if text[position] == "]":
                ended = True
                break
            try:
                item, end = decoder.raw_decode(text, position)
            except json.JSONDecodeError:
                break  # this item is still being written
            if end == len(text) and not isinstance(item, (dict, list, str)):
                break  # a number at the very end may still grow (6 before 6.7)
            position = end
            yield item

"""Yields the parser's last item each time it changes, so half-written items go out, some more than once."""

from __future__ import annotations

from langchain_core.output_parsers import JsonOutputParser


async def array_items(model, question, key):
    last = None
    async for partial in (model | JsonOutputParser()).astream(question):
        items = partial.get(key) if isinstance(partial, dict) else None
        if items and items[-1] and items[-1] != last:
            last = items[-1]
            yield last

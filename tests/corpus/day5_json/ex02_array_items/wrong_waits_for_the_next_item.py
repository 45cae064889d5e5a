"""Takes an item as finished when the parser's list shows the next one, so each item comes a chunk late."""

from __future__ import annotations

from langchain_core.output_parsers import JsonOutputParser


async def array_items(model, question, key):
    shown = 0
    items = []
    async for partial in (model | JsonOutputParser()).astream(question):
        items = partial.get(key, []) if isinstance(partial, dict) else []
        while shown < len(items) - 1:  # the last one may still be growing
            yield items[shown]
            shown += 1
    for item in items[shown:]:
        yield item

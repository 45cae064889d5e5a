"""Takes any chunk with a closing brace as the end of an item, so a nested object's brace lets a partial item out."""

from __future__ import annotations

from langchain_core.utils.json import parse_json_markdown


async def array_items(model, question, key):
    text = ""
    shown = 0
    async for chunk in model.astream(question):
        text += chunk.text
        if "}" not in chunk.text:  # no object closed in this chunk
            continue
        try:
            items = parse_json_markdown(text).get(key, [])
        except Exception:
            continue
        while shown < len(items):  # the brace closed the last item
            yield items[shown]
            shown += 1

"""Parses the model's raw text with parse_partial_json, which finds nothing in a fenced answer."""

from __future__ import annotations

from langchain_core.utils.json import parse_partial_json


async def complete_snapshots(model, question):
    text = ""
    shown = 0
    partial = {}
    async for chunk in model.astream(question):
        text += chunk.text
        try:
            parsed = parse_partial_json(text)
        except ValueError:  # the first chunk is empty, and "{" alone is not JSON yet
            continue
        if not isinstance(parsed, dict):
            continue
        partial = parsed
        finished = list(partial)[:-1]
        if len(finished) > shown:
            shown = len(finished)
            yield {key: partial[key] for key in finished}
    if len(partial) > shown:
        yield partial

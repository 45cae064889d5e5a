"""Thinks only strings stream: a number, a list or an object is shown as soon as it appears."""

from __future__ import annotations

from langchain_core.output_parsers import JsonOutputParser


async def complete_snapshots(model, question):
    shown = {}
    async for partial in (model | JsonOutputParser()).astream(question):
        keys = list(partial)
        finished = {}
        for key in keys:
            value = partial[key]
            # A string is still being written until the next key comes; other values arrive whole.
            if key != keys[-1] or not isinstance(value, str):
                finished[key] = value
        if len(finished) > len(shown):
            shown = finished
            yield finished
    if len(partial) > len(shown):
        yield dict(partial)

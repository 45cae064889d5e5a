"""Shows a key when the next one appears, but never the last key: nothing comes after it."""

from __future__ import annotations

from langchain_core.output_parsers import JsonOutputParser


async def complete_snapshots(model, question):
    shown = 0
    async for partial in (model | JsonOutputParser()).astream(question):
        finished = list(partial)[:-1]
        if len(finished) > shown:
            shown = len(finished)
            yield {key: partial[key] for key in finished}

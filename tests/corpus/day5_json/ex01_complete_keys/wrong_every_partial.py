"""Yields every partial object the parser gives, so cut-short strings and growing numbers show as finished."""

from __future__ import annotations

from langchain_core.output_parsers import JsonOutputParser


async def complete_snapshots(model, question):
    async for partial in (model | JsonOutputParser()).astream(question):
        if partial:
            yield partial

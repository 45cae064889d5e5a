"""Yields the finished keys for every partial, so the same snapshot comes again while a value grows."""

from __future__ import annotations

from langchain_core.output_parsers import JsonOutputParser


async def complete_snapshots(model, question):
    partial = {}
    async for partial in (model | JsonOutputParser()).astream(question):
        finished = {key: partial[key] for key in list(partial)[:-1]}
        if finished:
            yield finished
    yield dict(partial)

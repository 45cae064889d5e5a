"""Keeps one dict, adds each finished key to it and yields that same dict again."""

from __future__ import annotations

from langchain_core.output_parsers import JsonOutputParser


async def complete_snapshots(model, question):
    snapshot = {}
    partial = {}
    async for partial in (model | JsonOutputParser()).astream(question):
        finished = list(partial)[:-1]
        if len(finished) > len(snapshot):
            for key in finished:
                snapshot[key] = partial[key]
            yield snapshot
    if len(partial) > len(snapshot):
        snapshot.update(partial)
        yield snapshot

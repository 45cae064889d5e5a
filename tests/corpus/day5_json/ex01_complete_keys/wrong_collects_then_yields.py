"""Waits for the whole answer with ainvoke, then yields the snapshots one after the other."""

from __future__ import annotations

from langchain_core.output_parsers import JsonOutputParser


async def complete_snapshots(model, question):
    answer = await (model | JsonOutputParser()).ainvoke(question)
    keys = list(answer)
    for count in range(1, len(keys) + 1):
        yield {key: answer[key] for key in keys[:count]}

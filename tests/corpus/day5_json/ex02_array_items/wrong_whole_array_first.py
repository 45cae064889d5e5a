"""Waits for the whole answer, then yields the array's items one by one."""

from __future__ import annotations

from langchain_core.output_parsers import JsonOutputParser


async def array_items(model, question, key):
    answer = await (model | JsonOutputParser()).ainvoke(question)
    for item in answer.get(key, []):
        yield item

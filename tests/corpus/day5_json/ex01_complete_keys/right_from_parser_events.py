"""Reads the parser's partials from astream_events and slices the keys with itertools."""

from __future__ import annotations

from itertools import islice

from langchain_core.output_parsers import JsonOutputParser


async def complete_snapshots(model, question):
    chain = model | JsonOutputParser()
    count = 0
    whole = {}
    async for event in chain.astream_events(question, version="v2"):
        if event["event"] != "on_parser_stream":
            continue
        whole = event["data"]["chunk"]
        if len(whole) - 1 > count:
            count = len(whole) - 1
            yield dict(islice(whole.items(), count))
    if len(whole) > count:
        yield {**whole}

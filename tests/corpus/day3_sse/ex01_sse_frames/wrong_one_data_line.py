"""Puts the whole text on one data: line, so the client drops everything after the first line break.

The student escaped nothing and split nothing: "data: " + data, as if a frame were one line.
"""

from __future__ import annotations

import re


def sse_frame(data: str, *, event: str | None = None, id: str | None = None, retry: int | None = None) -> str:
    for value in (event, id):
        if value is not None and re.search(r"\r|\n", value):
            raise ValueError(f"line break in {value!r}")
    head = ""
    if event is not None:
        head += f"event: {event}\n"
    if id is not None:
        head += f"id: {id}\n"
    if retry is not None:
        head += f"retry: {retry}\n"
    return f"{head}data: {data}\n\n"

"""Splits the data with str.splitlines(), which drops a trailing line break and splits on \u2028.

The student used the familiar method instead of the three SSE line breaks the task names.
"""

from __future__ import annotations


def sse_frame(data: str, *, event: str | None = None, id: str | None = None, retry: int | None = None) -> str:
    for value in (event, id):
        if value is not None and ("\n" in value or "\r" in value):
            raise ValueError(f"line break in {value!r}")
    lines = []
    if event is not None:
        lines.append(f"event: {event}")
    if id is not None:
        lines.append(f"id: {id}")
    if retry is not None:
        lines.append(f"retry: {retry}")
    lines += [f"data: {line}" for line in data.splitlines() or [""]]
    return "\n".join(lines) + "\n\n"

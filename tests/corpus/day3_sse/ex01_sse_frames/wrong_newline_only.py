"""Treats only "\n" as a line break: a lone "\r" stays inside a data line and inside event or id.

The student split on "\n" and checked for "\n", as on Linux; the client also ends a line at "\r".
"""

from __future__ import annotations


def sse_frame(data: str, *, event: str | None = None, id: str | None = None, retry: int | None = None) -> str:
    for value in (event, id):
        if value is not None and "\n" in value:
            raise ValueError(f"line break in {value!r}")
    lines = []
    if event is not None:
        lines.append(f"event: {event}")
    if id is not None:
        lines.append(f"id: {id}")
    if retry is not None:
        lines.append(f"retry: {retry}")
    lines += [f"data: {line}" for line in data.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines) + "\n\n"

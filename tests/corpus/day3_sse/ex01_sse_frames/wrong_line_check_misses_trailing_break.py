"""Checks event and id with splitlines(), so a value ending in a line break slips through.

``"token\n".splitlines()`` is one line, so the check passes, and the frame gets an empty line
right after ``event: token``: the client dispatches an event early and reads the data as a second one.
"""

from __future__ import annotations

import re


def sse_frame(data: str, *, event: str | None = None, id: str | None = None, retry: int | None = None) -> str:
    for value in (event, id):
        if value is not None and len(value.splitlines()) > 1:
            raise ValueError(f"line break in {value!r}")
    lines = []
    if event is not None:
        lines.append(f"event: {event}")
    if id is not None:
        lines.append(f"id: {id}")
    if retry is not None:
        lines.append(f"retry: {retry}")
    lines += [f"data: {line}" for line in re.split(r"\r\n|\r|\n", data)]
    return "\n".join(lines) + "\n\n"

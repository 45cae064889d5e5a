"""Writes "data:" with no space, so the client eats a leading space that belongs to the text.

The client removes one space after the colon; the student thought it was only decoration.
"""

from __future__ import annotations

import re


def sse_frame(data: str, *, event: str | None = None, id: str | None = None, retry: int | None = None) -> str:
    for value in (event, id):
        if value is not None and re.search(r"\r|\n", value):
            raise ValueError(f"line break in {value!r}")
    fields = [("event", event), ("id", id), ("retry", retry)]
    lines = [f"{name}:{value}" for name, value in fields if value is not None]
    lines += [f"data:{line}" for line in re.split(r"\r\n|\r|\n", data)]
    return "\n".join(lines) + "\n\n"

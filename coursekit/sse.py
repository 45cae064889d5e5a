"""The one Server-Sent Events encoder of the course: the reference server and the OpenAI stub use it.

A frame is ``event:``/``id:`` lines, one ``data:`` line per line of the payload, and a blank
line. The hot paths (a token event per token) call it directly rather than building
sse-starlette's event objects; ``tests/server/test_streaming.py`` holds its bytes equal to what
sse-starlette writes.
"""

from __future__ import annotations

import re

#: SSE's own line breaks; str.splitlines() would also split on U+2028 and others, which are text here.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def sse_frame(data: str, *, event: str | None = None, id: str | int | None = None, newline: str = "\r\n") -> bytes:
    """One SSE frame; ``data`` may span lines. ``newline`` is sse-starlette's CRLF or OpenAI's LF."""
    lines = [f"id: {id}"] if id is not None else []
    if event is not None:
        lines.append(f"event: {event}")
    lines += [f"data: {line}" for line in _LINE_BREAK.split(data)]
    return (newline.join(lines) + newline + newline).encode()

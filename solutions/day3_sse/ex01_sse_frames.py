r"""Exercise 1 (solution): write Server-Sent Events frames by hand.

The fields come first and the data last, one ``data:`` line per line of text, and the blank
line at the end is what makes the browser dispatch the event. Line breaks are split the way
the SSE specification reads them (``\r\n``, ``\r`` or ``\n``), so the client joins the
lines back into exactly the text that was sent. A line break in ``event`` or ``id`` would end
the field early and let the rest of the value be read as a new field, so it is refused.
"""

from __future__ import annotations

import re

SSE_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def sse_frame(data: str, *, event: str | None = None, id: str | None = None, retry: int | None = None) -> str:
    """One SSE event: optional ``event:``, ``id:`` and ``retry:`` lines, the ``data:`` lines, a blank line."""
    for name, value in (("event", event), ("id", id)):
        if value is not None and SSE_LINE_BREAK.search(value):
            raise ValueError(f"the {name} field cannot contain a line break: {value!r}")
    lines = []
    if event is not None:
        lines.append(f"event: {event}")
    if id is not None:
        lines.append(f"id: {id}")
    if retry is not None:
        lines.append(f"retry: {retry}")
    lines += [f"data: {line}" for line in SSE_LINE_BREAK.split(data)]
    return "\n".join(lines) + "\n\n"

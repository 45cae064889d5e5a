"""Leaves out a field whose value is falsy (id="", retry=0), not only the ones that are None.

The student wrote ``if id:`` for "leave out the ones that are None"; an empty id (which resets the
client's last event id) and ``retry: 0`` (reconnect at once) are dropped.
"""

from __future__ import annotations

import re


def sse_frame(data: str, *, event: str | None = None, id: str | None = None, retry: int | None = None) -> str:
    for value in (event, id):
        if value and re.search(r"\r|\n", value):
            raise ValueError(f"line break in {value!r}")
    frame = ""
    if event:
        frame += f"event: {event}\n"
    if id:
        frame += f"id: {id}\n"
    if retry:
        frame += f"retry: {retry}\n"
    for line in re.split(r"\r\n|\r|\n", data):
        frame += f"data: {line}\n"
    return frame + "\n"

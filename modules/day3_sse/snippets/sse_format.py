"""The Server-Sent Events wire format, written by hand: fields, data lines and the blank line."""

import json


def sse_frame(data: str, *, event: str | None = None, id: str | None = None, retry: int | None = None) -> str:
    """One event: optional fields, one data: line per line of text, then an empty line."""
    lines = []
    if event is not None:
        lines.append(f"event: {event}")
    if id is not None:
        lines.append(f"id: {id}")
    if retry is not None:
        lines.append(f"retry: {retry}")
    lines += [f"data: {line}" for line in data.split("\n")]
    return "\n".join(lines) + "\n\n"


examples = {
    "a token": sse_frame("Hello"),
    "two lines of text": sse_frame("first line\nsecond line"),
    "a named event with an id": sse_frame(json.dumps({"text": " world"}), event="token", id="2"),
    "reconnect after 3 s if the line drops": sse_frame("Hi", id="1", retry=3000),
    "OpenAI-style end": sse_frame("[DONE]"),
    "a named end event": sse_frame(json.dumps({"tokens": 2}), event="done"),
    "a comment (keep-alive)": ": ping\n\n",
}
for name, frame in examples.items():
    print(f"--- {name}:")
    print(frame, end="")

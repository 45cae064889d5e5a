"""Correct: normalises the line breaks to "\n" first, then builds the frame from a generator."""

from __future__ import annotations

from collections.abc import Iterator


def _one_line(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _lines(data: str, fields: dict[str, object]) -> Iterator[str]:
    for name, value in fields.items():
        if value is not None:
            yield f"{name}: {value}"
    for line in _one_line(data).split("\n"):
        yield f"data: {line}"


def sse_frame(data: str, *, event: str | None = None, id: str | None = None, retry: int | None = None) -> str:
    if any(value is not None and "\n" in _one_line(value) for value in (event, id)):
        raise ValueError("event and id must stay on one line")
    return "".join(f"{line}\n" for line in _lines(data, {"event": event, "id": id, "retry": retry})) + "\n"

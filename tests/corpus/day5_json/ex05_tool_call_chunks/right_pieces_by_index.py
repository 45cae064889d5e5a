"""Joins the pieces by hand, one record per index, and keeps whichever finish_reason comes.

No message arithmetic: the first piece of an index fills its name and id, every piece appends
its args, and the complete string is parsed with json.loads once the stream is over.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.tools import tool
from langchain_core.utils.json import parse_partial_json


@tool
def book_flight(origin: str, destination: str, date: str, passengers: int, notes: str = "") -> str:
    """Book a flight from one airport to another (IATA codes) on a date (YYYY-MM-DD)."""
    return f"Booked {passengers} seat(s) from {origin} to {destination} on {date}."


async def stream_tool_call(model: BaseChatModel, question: str, show: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    calls: dict[int, dict[str, Any]] = {}
    finish_reason = None
    last_shown = None
    async for chunk in model.bind_tools([book_flight]).astream(question):
        finish_reason = chunk.response_metadata.get("finish_reason") or finish_reason
        for piece in chunk.tool_call_chunks:
            call = calls.setdefault(piece["index"] or 0, {"name": None, "id": None, "args": ""})
            call["name"] = call["name"] or piece["name"]
            call["id"] = call["id"] or piece["id"]
            call["args"] += piece["args"] or ""
        first = calls.get(min(calls, default=0))
        if first and first["args"].strip():
            partial = parse_partial_json(first["args"])
            if isinstance(partial, dict) and partial != last_shown:
                last_shown = partial
                show(partial)
    first = calls[min(calls)]
    return {"name": first["name"], "id": first["id"], "args": json.loads(first["args"]), "finish_reason": finish_reason}

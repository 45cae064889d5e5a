"""Reads chunk.tool_call_chunks[0] of every chunk.

While the model writes the arguments, every chunk has a piece, so the student indexes it
directly; the chunks around the call (finish_reason, usage, the empty last one) have none.
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
    name = call_id = finish_reason = None
    text = ""
    shown = None
    async for chunk in model.bind_tools([book_flight]).astream(question):
        finish_reason = chunk.response_metadata.get("finish_reason", finish_reason)
        piece = chunk.tool_call_chunks[0]
        name, call_id = name or piece["name"], call_id or piece["id"]
        text += piece["args"]
        if text:
            args = parse_partial_json(text)
            if isinstance(args, dict) and args != shown:
                show(args)
                shown = args
    return {"name": name, "id": call_id, "args": json.loads(text), "finish_reason": finish_reason}

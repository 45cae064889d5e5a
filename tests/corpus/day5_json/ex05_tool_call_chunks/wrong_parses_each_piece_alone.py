"""Parses each chunk's args on its own, as if every chunk carried the arguments so far.

JsonOutputParser hands out cumulative partial objects, so the student expects the same of
tool_call_chunks; but each piece is only a few characters of JSON, such as '"' or 'origin',
and alone it is almost never an object: the form stays empty until the very end.
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
    message = None
    async for chunk in model.bind_tools([book_flight]).astream(question):
        message = chunk if message is None else message + chunk
        for piece in chunk.tool_call_chunks:
            try:
                args = parse_partial_json(piece["args"])
            except json.JSONDecodeError:
                continue
            if isinstance(args, dict):
                show(args)
    call = message.tool_calls[0]
    return {"name": call["name"], "id": call["id"], "args": call["args"],
            "finish_reason": message.response_metadata.get("finish_reason")}

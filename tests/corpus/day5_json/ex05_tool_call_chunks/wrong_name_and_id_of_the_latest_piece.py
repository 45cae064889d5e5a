"""Keeps the name and id of the latest tool-call piece, as it does for the arguments.

Each piece seems to describe the call, so the student overwrites name and id with every one;
but only the first piece carries them, and all the others say None.
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
        for piece in chunk.tool_call_chunks:
            name, call_id = piece["name"], piece["id"]
            text += piece["args"] or ""
            if text:
                args = parse_partial_json(text)
                if isinstance(args, dict) and args != shown:
                    show(args)
                    shown = args
        finish_reason = chunk.response_metadata.get("finish_reason", finish_reason)
    return {"name": name, "id": call_id, "args": json.loads(text), "finish_reason": finish_reason}

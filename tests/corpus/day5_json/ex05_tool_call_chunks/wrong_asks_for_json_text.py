"""Asks for the booking as JSON in the text instead of binding the tool.

JSON in the answer looks like a tool call's arguments, so the student streams the plain model
and parses its text; but that is a text answer: it has no tool name, no call id, and the model
stops with finish_reason "stop", not "tool_calls".
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
    shown = None
    async for chunk in model.astream(question):
        message = chunk if message is None else message + chunk
        if message.text:
            args = parse_partial_json(message.text)
            if isinstance(args, dict) and args != shown:
                show(args)
                shown = args
    return {"name": "book_flight", "id": message.id, "args": json.loads(message.text),
            "finish_reason": message.response_metadata.get("finish_reason")}

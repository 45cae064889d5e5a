"""Collects the pieces during the stream and fills the form once it has ended.

The student builds every partial state correctly, but calls show in a second loop after the
stream, so the form fills in all at once, after the model has finished.
"""

from __future__ import annotations

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
    states = []
    async for chunk in model.bind_tools([book_flight]).astream(question):
        message = chunk if message is None else message + chunk
        pieces = message.tool_call_chunks
        if pieces and pieces[0]["args"]:
            args = parse_partial_json(pieces[0]["args"])
            if isinstance(args, dict) and (not states or args != states[-1]):
                states.append(args)
    for args in states:
        show(args)
    call = message.tool_calls[0]
    return {"name": call["name"], "id": call["id"], "args": call["args"],
            "finish_reason": message.response_metadata.get("finish_reason")}

"""Calls show after every chunk, whether the arguments changed or not.

Redrawing the form on every chunk feels harmless; but most pieces ('"', '":', ' "') change
nothing that parses, so show gets the same arguments again and again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.tools import tool


@tool
def book_flight(origin: str, destination: str, date: str, passengers: int, notes: str = "") -> str:
    """Book a flight from one airport to another (IATA codes) on a date (YYYY-MM-DD)."""
    return f"Booked {passengers} seat(s) from {origin} to {destination} on {date}."


async def stream_tool_call(model: BaseChatModel, question: str, show: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    message = None
    async for chunk in model.bind_tools([book_flight]).astream(question):
        message = chunk if message is None else message + chunk
        if message.tool_calls:
            show(message.tool_calls[0]["args"])
    call = message.tool_calls[0]
    return {"name": call["name"], "id": call["id"], "args": call["args"],
            "finish_reason": message.response_metadata.get("finish_reason")}

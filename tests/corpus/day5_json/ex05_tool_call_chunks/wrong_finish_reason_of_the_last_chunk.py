"""Reads finish_reason from the last chunk of the stream.

The student expects the stream's final chunk to say why it ended, as it does on the simplest
layout; ChatOpenAI and ChatMaritaca put finish_reason on an earlier content-less chunk and end
with an empty one, so finish_reason comes back None there.
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
    last = None
    shown = None
    async for chunk in model.bind_tools([book_flight]).astream(question):
        message = chunk if message is None else message + chunk
        last = chunk
        pieces = message.tool_call_chunks
        if pieces and pieces[0]["args"]:
            args = parse_partial_json(pieces[0]["args"])
            if isinstance(args, dict) and args != shown:
                show(args)
                shown = args
    call = message.tool_calls[0]
    return {"name": call["name"], "id": call["id"], "args": call["args"],
            "finish_reason": last.response_metadata.get("finish_reason")}

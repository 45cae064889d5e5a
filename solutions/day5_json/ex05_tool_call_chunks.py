"""Exercise 5 (solution): a tool call's arguments, shown while the model writes them.

A model streams a tool call as pieces of its ``args`` string, in ``tool_call_chunks``: the first
piece carries the call's name and id, the others only a few characters of JSON. Adding the chunks
up (``message + chunk``) joins the pieces of the same ``index`` into one growing string, which
``parse_partial_json`` reads at every step; the empty string of the opening piece is not JSON yet.
The sum also gathers ``response_metadata`` from every chunk, so ``finish_reason`` is found
wherever the provider put it, and its ``tool_calls`` hold the final, fully parsed arguments.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessageChunk
from langchain_core.tools import tool
from langchain_core.utils.json import parse_partial_json


@tool
def book_flight(origin: str, destination: str, date: str, passengers: int, notes: str = "") -> str:
    """Book a flight from one airport to another (IATA codes) on a date (YYYY-MM-DD)."""
    return f"Booked {passengers} seat(s) from {origin} to {destination} on {date}."


async def stream_tool_call(model: BaseChatModel, question: str, show: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    """Show the tool call's arguments each time they grow; return the call and why the model stopped."""
    message: AIMessageChunk | None = None
    shown: Any = None
    async for chunk in model.bind_tools([book_flight]).astream(question):
        message = chunk if message is None else message + chunk
        if not message.tool_call_chunks or not message.tool_call_chunks[0]["args"]:
            continue  # no call yet, or only its name and id: an empty string is not JSON
        args = parse_partial_json(message.tool_call_chunks[0]["args"])
        if isinstance(args, dict) and args != shown:
            show(args)
            shown = args
    call = message.tool_calls[0]
    return {"name": call["name"], "id": call["id"], "args": call["args"],
            "finish_reason": message.response_metadata.get("finish_reason")}

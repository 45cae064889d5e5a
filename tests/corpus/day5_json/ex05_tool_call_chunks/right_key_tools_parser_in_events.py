"""Lets JsonOutputKeyToolsParser parse the partial arguments, and astream_events bring both sides.

One run of ``bound model | parser`` gives, in its events, the model's chunks (added up for the
name, the id and finish_reason) and the parser's partial arguments, already deduplicated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers.openai_tools import JsonOutputKeyToolsParser
from langchain_core.tools import tool


@tool
def book_flight(origin: str, destination: str, date: str, passengers: int, notes: str = "") -> str:
    """Book a flight from one airport to another (IATA codes) on a date (YYYY-MM-DD)."""
    return f"Booked {passengers} seat(s) from {origin} to {destination} on {date}."


async def stream_tool_call(model: BaseChatModel, question: str, show: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    chain = model.bind_tools([book_flight]) | JsonOutputKeyToolsParser(key_name="book_flight", first_tool_only=True)
    message = None
    async for event in chain.astream_events(question, version="v2"):
        if event["event"] == "on_chat_model_stream":
            chunk = event["data"]["chunk"]
            message = chunk if message is None else message + chunk
        elif event["event"] == "on_parser_stream" and isinstance(event["data"]["chunk"], dict):
            show(event["data"]["chunk"])
    (call,) = message.tool_calls
    return {"name": call["name"], "id": call["id"], "args": call["args"],
            "finish_reason": message.response_metadata["finish_reason"]}

"""Exercise 5: a tool call's arguments, shown while the model writes them.

When a model calls a tool, it does not stream text: it streams the call's arguments, a JSON
string, a few characters at a time, in each chunk's ``tool_call_chunks``. A booking form can
fill in while they are written, if you put the pieces together as they come. The way a real
provider sends them:

- the first piece carries the tool's ``name``, the call's ``id`` and its ``index``, with
  ``args == ""``; every later piece has ``name`` and ``id`` set to ``None`` and only a few
  characters of ``args``, such as ``'{"'``, ``'origin'`` or ``'":'``;
- some chunks carry no piece at all (``tool_call_chunks == []``): an empty opening delta on
  some servers, and at the end the chunk with ``finish_reason``, a usage chunk and an empty
  last chunk;
- ``finish_reason`` (``"tool_calls"`` here) is on one content-less chunk near the end, which is
  not always the last one, while the first chunks may carry other ``response_metadata``.

Adding chunks up (``message = chunk if message is None else message + chunk``) solves all three:
the pieces of the same ``index`` are joined into one growing ``args`` string, next to the first
piece's name and id, and the metadata of every chunk is merged.

Write the coroutine ``stream_tool_call(model, question, show)``:

1. bind the tool, ``model.bind_tools([book_flight])``, and stream the bound model with
   ``astream(question)``, adding up the chunks;
2. after each chunk, if there is a piece and its ``args`` string so far is not empty, parse it
   with ``parse_partial_json`` (from ``langchain_core.utils.json``); each time the result is a
   dict that differs from the last one shown, call ``show(args)`` at once, so the form grows
   while the model writes (an empty string is not JSON, not even partial JSON: skip it);
3. once the stream has ended, return ``{"name": ..., "id": ..., "args": ..., "finish_reason":
   ...}``: the call from the sum's ``tool_calls[0]`` (its arguments fully parsed, exactly the
   model's), and ``finish_reason`` from the sum's ``response_metadata``.

Try it::

    import asyncio
    from coursekit import FakeStreamingChatModel

    args = {"origin": "GRU", "destination": "CGK", "date": "2026-12-24", "passengers": 2}
    model = FakeStreamingChatModel.realistic(rules={"flight": args})
    call = asyncio.run(stream_tool_call(model, "Book a flight to Jakarta for two", print))
    print(call)

The form's values grow a few characters at a time, ``{'origin': ''}``, ``{'origin': 'GRU'}``,
``{'origin': 'GRU', 'destination': ''}``..., and the call ends with the four arguments,
``passengers`` the number 2, and ``finish_reason`` ``'tool_calls'``.

Read this task in your language: ``coursekit task ex05_tool_call_chunks``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.tools import tool
from langchain_core.utils.json import parse_partial_json  # noqa: F401  (for you to use)


@tool
def book_flight(origin: str, destination: str, date: str, passengers: int, notes: str = "") -> str:
    """Book a flight from one airport to another (IATA codes) on a date (YYYY-MM-DD)."""
    return f"Booked {passengers} seat(s) from {origin} to {destination} on {date}."


async def stream_tool_call(model: BaseChatModel, question: str, show: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    """Show the tool call's arguments each time they grow; return the call and why the model stopped."""
    # TODO: message = None; async for chunk in model.bind_tools([book_flight]).astream(question):
    # add it up (message + chunk); when message.tool_call_chunks has a piece whose "args" is not
    # empty, parse_partial_json it and show(args) if it is a new dict. After the loop, return the
    # name, id and args of message.tool_calls[0] and message.response_metadata["finish_reason"].
    raise NotImplementedError("stream_tool_call")

"""The Server-Sent Events wire format: the text a server writes, and what a client reads from it."""

import httpx
from httpx_sse import EventSource, ServerSentEvent

WIRE = {
    "a token": "data: Hello\n\n",
    "two lines of text": "data: first line\ndata: second line\n\n",
    "two lines on one data field (a bug)": "data: first line\nsecond line\n\n",
    "a named event with an id": 'event: token\nid: 2\ndata: {"text": " world"}\n\n',
    "reconnect after 3 s if the line drops": "id: 1\nretry: 3000\ndata: Hi\n\n",
    "OpenAI-style end": "data: [DONE]\n\n",
    "a named end event": 'event: done\ndata: {"tokens": 2}\n\n',
    "a comment (keep-alive), then a token": ": ping\n\ndata: still here\n\n",
    "no empty line yet": "data: not delivered\n",
}


def read_events(wire: str) -> list[ServerSentEvent]:
    """Parse the text as a client does: httpx-sse follows the same rules as the browser."""
    response = httpx.Response(200, headers={"content-type": "text/event-stream"}, text=wire)
    return list(EventSource(response).iter_sse())


for name, wire in WIRE.items():
    print(f"--- {name}:")
    print(wire, end="")
    events = read_events(wire)
    for sse in events:
        print(f"    read: event={sse.event!r} data={sse.data!r} id={sse.id!r} retry={sse.retry}")
    if not events:
        print("    read: nothing")

r"""Exercise 1: write Server-Sent Events frames by hand.

An SSE stream is plain text. Each event is a few ``field: value`` lines followed by one empty
line, and the browser hands the event to the page only when that empty line arrives::

    event: token
    id: 7
    data: Hello

Libraries write this for you, but knowing the format is what lets you debug a stream with
``curl -N`` and avoid its two traps: a text with line breaks, and a field value that smuggles
in a line break of its own.

Write ``sse_frame(data, *, event=None, id=None, retry=None)`` so that it returns one frame:

1. ``data`` becomes ``"data: <text>\n"``, and the frame ends with one more ``"\n"`` (the empty
   line): ``sse_frame("Hello") == "data: Hello\n\n"``;
2. a text with several lines gets one ``data: `` line per line, and the client joins them back
   with ``"\n"``. A line break is ``\r\n``, ``\r`` or ``\n`` and nothing else: split with
   ``re.split(r"\r\n|\r|\n", data)``, not ``str.splitlines()``, which also splits on other
   characters (such as ``\u2028``) and would change the text;
3. the optional fields come first, in this order, each on its own line: ``event: <name>``,
   ``id: <id>``, ``retry: <milliseconds>``; leave out the ones that are ``None``, and only
   those: ``id=""`` is written ``id: `` (it resets the id the client sends back when it
   reconnects) and ``retry=0`` is written ``retry: 0``::

       sse_frame("Hi", event="token", id="7", retry=3000)
       == "event: token\nid: 7\nretry: 3000\ndata: Hi\n\n"

4. a line break inside ``event`` or ``id`` raises ``ValueError``: otherwise the rest of the
   value would be read as a new field (``event="token\ndata: injected"``).

Try it::

    print(repr(sse_frame("two\nlines", event="token", id="1")))
    # 'event: token\nid: 1\ndata: two\ndata: lines\n\n'

Read this task in your language: ``coursekit task ex01_sse_frames``.
"""

from __future__ import annotations


def sse_frame(data: str, *, event: str | None = None, id: str | None = None, retry: int | None = None) -> str:
    """One SSE event: optional ``event:``, ``id:`` and ``retry:`` lines, the ``data:`` lines, a blank line."""
    # TODO: refuse a line break in event or id (ValueError); write the event, id and retry lines
    # that are not None; add one "data: " line per line of data; end with an empty line.
    raise NotImplementedError("sse_frame")

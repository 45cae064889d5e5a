"""Exercise 4: measure what the reader feels, not only what they wait for.

Two numbers describe a streamed answer. The *time to first token* is how long the reader stares
at an empty screen: from the moment you ask until the first piece of text arrives. The *total
time* is how long until the answer is complete. Streaming barely changes the total, but it
can cut the time to first token from seconds to a fraction of a second, which is why it feels
so much faster. You can only see the difference if you measure both.

Write ``time_stream(model, prompt, clock=time.perf_counter)`` that streams the answer once and
returns a :class:`StreamTiming`:

1. ``text``: the whole answer;
2. ``first_token``: seconds from just before you call ``model.stream(prompt)`` until the first
   chunk *with text* arrives, or ``None`` if no chunk had any text. Providers open the stream
   with an empty chunk: that is not the first token. A chunk that is only whitespace (a line
   break) is text, and can be;
3. ``total``: seconds from that same start until the stream is over (after the loop), the
   metadata-only chunks at the end included.

Read the time only with ``clock()``, the argument, never with ``time.perf_counter()`` directly:
passing the clock in is what lets a test control time and check your numbers exactly.

Try it::

    from coursekit import FakeStreamingChatModel
    timing = time_stream(FakeStreamingChatModel.realistic(), "What is streaming?")
    print(f"first token after {timing.first_token:.2f} s, complete after {timing.total:.2f} s")
    # first token after 0.35 s, complete after 2.17 s   (give or take a few milliseconds)

Read this task in your language: ``coursekit task ex04_time_to_first_token``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from langchain_core.language_models import BaseChatModel


@dataclass(frozen=True)
class StreamTiming:
    """How long a streamed answer took: to its first text, and in total (seconds)."""

    text: str
    first_token: float | None
    total: float


def time_stream(model: BaseChatModel, prompt: str, clock: Callable[[], float] = time.perf_counter) -> StreamTiming:
    """Stream the answer to ``prompt`` and time its first token and its end with ``clock``."""
    # TODO: start = clock(); loop over model.stream(prompt), and the first time a chunk has text,
    # note clock() - start. After the loop, compute the total and return a StreamTiming.
    raise NotImplementedError("time_stream")

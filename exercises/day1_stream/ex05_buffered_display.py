"""Exercise 5: update the screen in batches, not once per token.

Printing every chunk is perfect in a terminal, but some displays are expensive to refresh: a
web page re-rendering Markdown, a Slack message edited through an API with rate limits, a
phone on a slow network. The usual answer is a small buffer: keep the chunks that arrive, and
refresh the display when the buffer is big enough *or* old enough, whichever comes first. The
reader still sees text early and often, and the display is refreshed far less.

Write ``buffered_display(model, prompt, show, clock=time.monotonic, interval=0.1, max_chunks=10)``:

1. stream ``model.stream(prompt)``, keep the text of each non-empty chunk in a batch, and return
   the whole answer at the end;
2. right after adding a chunk, call ``show(batch_text)`` (the batch's texts joined) and start a
   new batch when the batch holds ``max_chunks`` chunks, or when at least ``interval`` seconds
   have passed since the last ``show`` (for the first batch: since just before you called
   ``model.stream``);
3. when the stream ends, ``show`` whatever is left in the batch, if anything. Never call
   ``show`` with an empty string, and never drop or repeat a chunk.

Read the time only with ``clock()``, the argument: the tests pass a clock they control, so they
can check every refresh exactly and instantly.

Try it::

    from coursekit import FakeStreamingChatModel
    buffered_display(FakeStreamingChatModel(), "What is streaming?", lambda batch: print(repr(batch)))

With no delays, ``max_chunks`` decides: each line holds ten words, e.g.
``'Streaming sends an answer piece by piece while the model'``. With
``FakeStreamingChatModel.realistic()`` (about 30 ms per token), the 100 ms clock decides first:
the first word is shown on its own, then each batch holds three or four words.

Read this task in your language: ``coursekit task ex05_buffered_display``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from langchain_core.language_models import BaseChatModel


def buffered_display(
    model: BaseChatModel,
    prompt: str,
    show: Callable[[str], None],
    clock: Callable[[], float] = time.monotonic,
    interval: float = 0.1,
    max_chunks: int = 10,
) -> str:
    """Stream the answer, calling ``show`` with batches of chunks; return the whole answer."""
    # TODO: remember last_shown = clock() and keep a list for the batch. For each non-empty
    # chunk, add it; if the batch is full or clock() - last_shown >= interval, show it, empty
    # it and remember the time. After the loop, show what is left, then return the answer.
    raise NotImplementedError("buffered_display")

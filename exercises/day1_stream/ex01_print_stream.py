"""Exercise 1: print an answer while the model is still writing it.

A streaming chat model sends its answer in small pieces, ``AIMessageChunk`` objects, each with a
word or a few characters in ``.text``. A chat app shows every piece the moment it arrives, so
the reader starts reading after a fraction of a second instead of staring at a blank screen
until the whole answer is ready. That is what you will build here.

Write ``print_stream(model, prompt)`` so that it:

1. loops over ``model.stream(prompt)`` and returns the whole answer as one string;
2. prints the ``.text`` of each chunk the moment it arrives, all on one line, and then one
   newline when the stream is over: ``print(chunk.text, end="", flush=True)`` per chunk,
   ``print()`` at the end;
3. uses ``flush=True``: without it Python keeps the text in a buffer until the line ends, so in
   a terminal nothing would appear until the very end;
4. skips chunks whose ``.text`` is empty: providers open the stream with an empty chunk and
   close it with chunks that carry only metadata. Keep going after them, and keep a chunk that
   is only whitespace (a space, a line break ``"\n"``): that is text, and it belongs on screen.

Try it in a terminal::

    from coursekit import FakeStreamingChatModel
    answer = print_stream(FakeStreamingChatModel.realistic(), "What is streaming?")

After about a third of a second, "Streaming sends an answer piece by piece..." starts to appear
word by word on one line; ``answer`` then holds exactly the text that was printed.

Read this task in your language: ``coursekit task ex01_print_stream``.
"""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel


def print_stream(model: BaseChatModel, prompt: str) -> str:
    """Print the answer to ``prompt`` chunk by chunk as it streams, then return the whole text."""
    # TODO: loop over model.stream(prompt). For each chunk with non-empty text, print it with
    # end="" and flush=True and add it to the answer. After the loop, print() and return the answer.
    raise NotImplementedError("print_stream")

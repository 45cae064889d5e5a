"""Exercise 2: add the chunks up, and read what only the end of the stream knows.

Chunks can be added: ``first + second`` is one ``AIMessageChunk`` with both texts joined and
their metadata merged. That matters because the most useful facts about an answer come at the
end of the stream, on chunks with no text:

- ``response_metadata["finish_reason"]``: why the model stopped, e.g. ``"stop"`` when it was
  done talking, ``"tool_calls"`` when it asked for a tool instead of answering;
- ``usage_metadata``: a dict with ``input_tokens``, ``output_tokens`` and ``total_tokens``,
  the numbers you are billed for.

*Which* chunk carries them depends on the provider. ``ChatOpenAI`` sends the finish reason on
one chunk, the usage on the next, and closes with an empty chunk that carries neither;
``ChatMaritaca`` sends no usage at all while streaming. So don't read them from the last chunk,
nor from the first chunk whose ``response_metadata`` is not empty: add every chunk with ``+``
and read them from the sum, which holds whatever any chunk carried. The sum is also the same
message ``invoke()`` would have returned, while you still had each chunk in hand the moment it
arrived.

Write ``collect_stream(model, prompt)`` that calls ``model.stream(prompt)`` once, adds the chunks
together, and returns ``(text, finish_reason, usage)``:

1. ``text``: the sum's ``.text``, its content as a string, exactly as streamed (``""`` when the
   model called a tool instead of answering);
2. ``finish_reason``: ``sum.response_metadata.get("finish_reason")``;
3. ``usage``: ``sum.usage_metadata`` (``None`` if the provider sent none, as ChatMaritaca).

Read the stream to its end: the usage may come after the finish reason.

``model`` may be a plain chat model or one with tools bound (``model.bind_tools([...])``): both
have ``.stream()``.

Try it::

    from coursekit import FakeStreamingChatModel
    text, finish_reason, usage = collect_stream(FakeStreamingChatModel(), "What is streaming?")
    print(finish_reason, usage)
    # stop {'input_tokens': 4, 'output_tokens': 60, 'total_tokens': 64, ...}

Read this task in your language: ``coursekit task ex02_collect_stream``.
"""

from __future__ import annotations

from langchain_core.language_models import LanguageModelInput
from langchain_core.messages import BaseMessage, UsageMetadata
from langchain_core.runnables import Runnable


def collect_stream(
    model: Runnable[LanguageModelInput, BaseMessage], prompt: str
) -> tuple[str, str | None, UsageMetadata | None]:
    """Stream the answer once and return ``(text, finish_reason, usage)`` from the sum of its chunks."""
    # TODO: add up the chunks of model.stream(prompt) with + (the first chunk starts the sum),
    # then read the three values from the sum.
    raise NotImplementedError("collect_stream")

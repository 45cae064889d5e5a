"""Exercise 2 (solution): add the chunks up, and read what only the end of the stream knows.

``AIMessageChunk.__add__`` joins the text and merges ``response_metadata`` and
``usage_metadata``, so the sum ends up holding the finish reason and the token usage without the
code having to know which chunks carried them: ChatOpenAI sends them on two different chunks
before an empty last one, ChatMaritaca sends no usage, and the sum is right on both.
"""

from __future__ import annotations

from langchain_core.language_models import LanguageModelInput
from langchain_core.messages import BaseMessage, UsageMetadata
from langchain_core.runnables import Runnable


def collect_stream(
    model: Runnable[LanguageModelInput, BaseMessage], prompt: str
) -> tuple[str, str | None, UsageMetadata | None]:
    """Stream the answer once and return ``(text, finish_reason, usage)`` from the sum of its chunks."""
    total = None
    for chunk in model.stream(prompt):
        total = chunk if total is None else total + chunk
    if total is None:
        return "", None, None
    return total.text, total.response_metadata.get("finish_reason"), total.usage_metadata

"""Stops reading as soon as a chunk has a finish_reason, missing the usage sent after it.

The student thinks the finish reason means "the stream is over" and breaks out of the loop.
"""

from __future__ import annotations

from langchain_core.language_models import LanguageModelInput
from langchain_core.messages import BaseMessage, UsageMetadata
from langchain_core.runnables import Runnable


def collect_stream(
    model: Runnable[LanguageModelInput, BaseMessage], prompt: str
) -> tuple[str, str | None, UsageMetadata | None]:
    total = None
    for chunk in model.stream(prompt):
        total = chunk if total is None else total + chunk
        if chunk.response_metadata.get("finish_reason"):
            break
    if total is None:
        return "", None, None
    return total.text, total.response_metadata.get("finish_reason"), total.usage_metadata

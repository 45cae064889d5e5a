"""Reads finish_reason and usage from the last chunk only, as if it always carried the metadata.

The student joins the texts and keeps the final chunk for its metadata; real providers put the
finish reason and the usage on earlier chunks and close with an empty one.
"""

from __future__ import annotations

from langchain_core.language_models import LanguageModelInput
from langchain_core.messages import BaseMessage, UsageMetadata
from langchain_core.runnables import Runnable


def collect_stream(
    model: Runnable[LanguageModelInput, BaseMessage], prompt: str
) -> tuple[str, str | None, UsageMetadata | None]:
    text = ""
    last = None
    for chunk in model.stream(prompt):
        text += chunk.text
        last = chunk
    if last is None:
        return "", None, None
    return text, last.response_metadata.get("finish_reason"), last.usage_metadata

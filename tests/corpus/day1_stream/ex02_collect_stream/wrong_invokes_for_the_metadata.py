"""Streams the text, then calls invoke() a second time to read the finish reason and usage.

The student finds the metadata on invoke()'s message and asks the model again for it.
"""

from __future__ import annotations

from langchain_core.language_models import LanguageModelInput
from langchain_core.messages import BaseMessage, UsageMetadata
from langchain_core.runnables import Runnable


def collect_stream(
    model: Runnable[LanguageModelInput, BaseMessage], prompt: str
) -> tuple[str, str | None, UsageMetadata | None]:
    text = "".join(chunk.text for chunk in model.stream(prompt))
    message = model.invoke(prompt)
    return text, message.response_metadata.get("finish_reason"), message.usage_metadata

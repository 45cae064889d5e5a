"""Keeps the response_metadata of the latest chunk that has any (`if chunk.response_metadata:`).

The student treats any non-empty metadata as "the" metadata, so a later chunk's dict replaces the
one that held the finish reason, and the usage is looked up the same way.
"""

from __future__ import annotations

from langchain_core.language_models import LanguageModelInput
from langchain_core.messages import BaseMessage, UsageMetadata
from langchain_core.runnables import Runnable


def collect_stream(
    model: Runnable[LanguageModelInput, BaseMessage], prompt: str
) -> tuple[str, str | None, UsageMetadata | None]:
    pieces: list[str] = []
    metadata: dict = {}
    usage = None
    for chunk in model.stream(prompt):
        pieces.append(chunk.text)
        if chunk.response_metadata:
            metadata = chunk.response_metadata
            usage = chunk.usage_metadata
    return "".join(pieces), metadata.get("finish_reason"), usage

"""Picks each value from whichever chunk carries it, without adding the chunks up."""

from __future__ import annotations

from langchain_core.language_models import LanguageModelInput
from langchain_core.messages import BaseMessage, UsageMetadata
from langchain_core.runnables import Runnable


def collect_stream(
    model: Runnable[LanguageModelInput, BaseMessage], prompt: str
) -> tuple[str, str | None, UsageMetadata | None]:
    pieces: list[str] = []
    finish_reason: str | None = None
    usage: UsageMetadata | None = None
    for chunk in model.stream(prompt):
        pieces.append(chunk.text)
        finish_reason = chunk.response_metadata.get("finish_reason", finish_reason)
        usage = chunk.usage_metadata or usage
    return "".join(pieces), finish_reason, usage

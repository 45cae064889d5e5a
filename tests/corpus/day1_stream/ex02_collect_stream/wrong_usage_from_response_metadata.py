"""Looks for the usage in response_metadata["token_usage"], where OpenAI's raw API puts it.

The student knows the OpenAI JSON and reads the usage from the wrong field of the sum.
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
    if total is None:
        return "", None, None
    return total.text, total.response_metadata.get("finish_reason"), total.response_metadata.get("token_usage")

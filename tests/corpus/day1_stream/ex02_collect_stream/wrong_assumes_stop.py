"""Returns "stop" whenever any text arrived, instead of reading the finish reason the model sent.

The student guesses the finish reason from the text and never looks at the metadata.
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
    finish_reason = "stop" if total.text else None
    return total.text, finish_reason, total.usage_metadata

"""Adds the chunks with functools.reduce and operator.add, the whole stream in one expression."""

from __future__ import annotations

import operator
from functools import reduce

from langchain_core.language_models import LanguageModelInput
from langchain_core.messages import AIMessageChunk, BaseMessage, UsageMetadata
from langchain_core.runnables import Runnable


def collect_stream(
    model: Runnable[LanguageModelInput, BaseMessage], prompt: str
) -> tuple[str, str | None, UsageMetadata | None]:
    whole = reduce(operator.add, model.stream(prompt), AIMessageChunk(content=""))
    return whole.text, whole.response_metadata.get("finish_reason"), whole.usage_metadata

"""Skips only the chunk marked last, trusting that only the last chunk is empty.

The student read "the last chunk carries metadata, not text" and filters on
chunk_position == "last"; the empty opening chunk and the finish and usage chunks that real
providers send before it are logged as tokens.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import BaseMessage
from langchain_core.outputs import LLMResult


class EventLog(BaseCallbackHandler):
    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []

    def on_chat_model_start(
        self, serialized: dict[str, Any], messages: list[list[BaseMessage]], **kwargs: Any
    ) -> None:
        self.events.append(("start", ""))

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        chunk = kwargs.get("chunk")
        if chunk is not None and getattr(chunk.message, "chunk_position", None) == "last":
            return
        self.events.append(("token", token))

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        self.events.append(("end", response.generations[0][0].text))

    @property
    def text(self) -> str:
        return "".join(detail for kind, detail in self.events if kind == "token")

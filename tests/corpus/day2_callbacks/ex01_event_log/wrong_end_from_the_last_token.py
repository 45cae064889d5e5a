"""Logs the end with the last token it received instead of the whole answer.

The student thought on_llm_end comes with the final token and logged the latest ("token", ...)
detail as the answer.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import BaseMessage
from langchain_core.outputs import LLMResult


class EventLog(BaseCallbackHandler):
    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []
        self.latest = ""

    def on_chat_model_start(
        self, serialized: dict[str, Any], messages: list[list[BaseMessage]], **kwargs: Any
    ) -> None:
        self.events.append(("start", ""))

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        if token:
            self.latest = token
            self.events.append(("token", token))

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        self.events.append(("end", self.latest))

    @property
    def text(self) -> str:
        return "".join(detail for kind, detail in self.events if kind == "token")

"""Renames on_llm_new_token's parameter, so the keyword call token=... fails on every token.

The student preferred a clearer name; LangChain passes the token by keyword, the hook raises
TypeError each time, LangChain only logs it, and no token is ever recorded.
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

    def on_llm_new_token(self, new_text: str, **kwargs: Any) -> None:  # type: ignore[override]
        if new_text:
            self.events.append(("token", new_text))

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        self.events.append(("end", response.generations[0][0].text))

    @property
    def text(self) -> str:
        return "".join(detail for kind, detail in self.events if kind == "token")

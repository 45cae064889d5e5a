"""text returns the "end" event's answer, so it stays empty while the answer streams.

The student took the whole answer from on_llm_end and reused it for text; that is right once the
call is over, but text is "the answer so far" and says nothing until the end.
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
        if token:
            self.events.append(("token", token))

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        self.events.append(("end", response.generations[0][0].text))

    @property
    def text(self) -> str:
        ends = [detail for kind, detail in self.events if kind == "end"]
        return ends[-1] if ends else ""

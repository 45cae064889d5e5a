"""A correct alternative: one private recorder, a separate list of pieces for text.

The hooks delegate to ``_log``; ``text`` reads a list kept beside the events instead of filtering
them, and the end takes its text from the message of the first generation.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.outputs import LLMResult


class EventLog(BaseCallbackHandler):
    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []
        self._pieces: list[str] = []

    def _log(self, kind: str, detail: str = "") -> None:
        self.events.append((kind, detail))

    def on_chat_model_start(self, serialized: Any, messages: Any, **kwargs: Any) -> None:
        self._log("start")

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        if token != "":
            self._pieces.append(token)
            self._log("token", token)

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        generation = response.generations[0][0]
        self._log("end", generation.text)

    @property
    def text(self) -> str:
        return "".join(self._pieces)

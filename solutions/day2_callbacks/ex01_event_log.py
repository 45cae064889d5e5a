"""Exercise 1 (solution): watch a model call from the inside, hook by hook.

Each hook only appends; the order of ``events`` is the order LangChain called the hooks in.
The empty tokens of the chunks that open and close a stream (metadata, spread differently by
each provider) are skipped so that the log holds text, not bookkeeping; whitespace is text and
stays. The end event takes the text from the ``LLMResult``, which is what the caller of
``invoke()`` gets too.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import BaseMessage
from langchain_core.outputs import LLMResult


class EventLog(BaseCallbackHandler):
    """Records the start, the tokens and the end of a chat model call as ``(kind, detail)`` pairs."""

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
        """The answer so far: the logged tokens, joined."""
        return "".join(detail for kind, detail in self.events if kind == "token")

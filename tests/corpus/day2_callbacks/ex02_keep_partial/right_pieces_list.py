"""A correct alternative: the pieces go in a list, and text and finished are derived properties.

finished is a consequence of having seen on_llm_end, recorded as the result itself.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.outputs import LLMResult


class PartialAnswer(BaseCallbackHandler):
    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.result: LLMResult | None = None
        self.error: BaseException | None = None

    @property
    def text(self) -> str:
        return "".join(self.pieces)

    @property
    def finished(self) -> bool:
        return self.result is not None

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        self.pieces.append(token)

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        self.result = response

    def on_llm_error(self, error: BaseException, **kwargs: Any) -> None:
        self.error = error

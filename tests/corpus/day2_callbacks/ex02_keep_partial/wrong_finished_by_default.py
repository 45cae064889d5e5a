"""Starts with finished = True and only clears it on error.

The student assumed success unless told otherwise: finished starts True, on_llm_error sets it False.
A stream that fails leaves it False, but so does nothing else: it is True before any answer.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.outputs import LLMResult


class PartialAnswer(BaseCallbackHandler):
    def __init__(self) -> None:
        self.text = ""
        self.finished = True
        self.error: BaseException | None = None

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        self.text += token

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        self.finished = True

    def on_llm_error(self, error: BaseException, **kwargs: Any) -> None:
        self.error = error
        self.finished = False

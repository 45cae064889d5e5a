"""Clears text when the stream fails, treating the partial answer as garbage.

The student reset the state in on_llm_error; the words that had already arrived are lost, which is
what the exercise is about.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.outputs import LLMResult


class PartialAnswer(BaseCallbackHandler):
    def __init__(self) -> None:
        self.text = ""
        self.finished = False
        self.error: BaseException | None = None

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        self.text += token

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        self.finished = True

    def on_llm_error(self, error: BaseException, **kwargs: Any) -> None:
        self.error = error
        self.text = ""

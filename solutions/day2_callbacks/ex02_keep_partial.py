"""Exercise 2 (solution): keep the partial answer when the stream breaks.

The tokens are collected as they come, so nothing depends on the end of the stream: when
``on_llm_error`` fires instead of ``on_llm_end``, ``text`` already holds everything that
arrived. (``on_llm_error`` also receives a ``response`` keyword, but it does not always carry
the partial text: after ``ainvoke()`` on a streaming model it is empty. Collecting the tokens
yourself always works.)
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.outputs import LLMResult


class PartialAnswer(BaseCallbackHandler):
    """The text received so far, and how the call ended: ``finished``, or failed with ``error``."""

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

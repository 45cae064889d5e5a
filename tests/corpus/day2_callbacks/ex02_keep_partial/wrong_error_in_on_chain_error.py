"""Keeps the error in on_chain_error, which a model call on its own never fires.

The student picked the error hook by name from the list of callbacks; a bare model call has no
chain run, so the error is never stored.
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

    def on_chain_error(self, error: BaseException, **kwargs: Any) -> None:
        self.error = error

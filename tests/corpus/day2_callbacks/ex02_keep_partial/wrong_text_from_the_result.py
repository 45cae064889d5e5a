"""Takes the text from the LLMResult in on_llm_end, so a broken stream keeps nothing.

The student saw that on_llm_end carries the whole answer and used it, instead of adding each token
as it arrives; on_llm_end never comes when the stream fails.
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
        pass

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        self.text = response.generations[0][0].text
        self.finished = True

    def on_llm_error(self, error: BaseException, **kwargs: Any) -> None:
        self.error = error

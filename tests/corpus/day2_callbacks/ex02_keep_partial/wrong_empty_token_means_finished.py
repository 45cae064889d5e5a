"""Takes an empty token for the end of the stream and sets finished there.

The student learned that the stream ends with an empty chunk; real providers also open with one,
so finished is True from the first chunk, even when the stream then breaks.
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
        if token:
            self.text += token
        else:
            self.finished = True

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        self.finished = True

    def on_llm_error(self, error: BaseException, **kwargs: Any) -> None:
        self.error = error

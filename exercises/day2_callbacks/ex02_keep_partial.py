"""Exercise 2: keep the partial answer when the stream breaks.

Connections drop. When a stream fails half-way, LangChain does not call ``on_llm_end``: it
calls ``on_llm_error`` with the exception, and then the exception reaches the caller as usual.
A handler cannot stop the error, but it can make sure the words that had already arrived are
not lost, so the app can show them, save them, or ask the model to continue.

Complete ``PartialAnswer``:

1. ``on_llm_new_token`` adds each token to ``text``;
2. ``on_llm_end`` sets ``finished`` to ``True``: the answer is complete. Only that hook says so:
   an empty token is not the end (real providers open their streams with one);
3. add the hook that LangChain calls when the stream fails,
   ``on_llm_error(self, error, **kwargs)``, and store the exception in ``error``. Keep ``text``
   as it is: it holds the part of the answer that arrived before the failure.

The same handler must work in sync code (``stream()``) and in async code (``ainvoke()`` on a
model built with ``streaming=True``).

Try it::

    from coursekit import FakeStreamingChatModel
    answer = PartialAnswer()
    model = FakeStreamingChatModel(error_after=3)
    try:
        for _ in model.stream("hi", config={"callbacks": [answer]}):
            pass
    except ConnectionError:
        print(repr(answer.text), answer.finished, answer.error)
        # 'Here is a' False The connection dropped after 3 chunks (simulated by error_after).

Read this task in your language: ``coursekit task ex02_keep_partial``.
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
        # TODO: add the token to self.text.
        raise NotImplementedError("on_llm_new_token")

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        # TODO: the answer is complete: set self.finished.
        raise NotImplementedError("on_llm_end")

    # TODO: define on_llm_error(self, error: BaseException, **kwargs: Any) -> None and keep the error.

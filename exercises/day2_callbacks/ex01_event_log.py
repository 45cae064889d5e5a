"""Exercise 1: watch a model call from the inside, hook by hook.

A callback handler is an object whose methods LangChain calls while a model works: once when
the model starts, once per token, and once at the end. Your code does not loop over anything;
the handler is told what happens. Writing the events down in order is the best way to see
which hook fires when, and what each one receives.

Complete ``EventLog`` so that ``events`` holds ``(kind, detail)`` pairs, in the order the hooks
fired:

1. ``on_chat_model_start`` logs ``("start", "")``;
2. ``on_llm_new_token`` logs ``("token", token)`` for every token that is not empty. Real
   providers open a stream with an empty chunk and close it with one or more empty chunks that
   carry metadata (why it stopped, the model, the usage), not text; which chunk carries what
   differs from provider to provider. A token of spaces or line breaks is text: keep it. From
   sync code LangChain passes ``token`` *by keyword* (``token=...``), so keep that parameter's
   name: rename it and your hook fails on every token;
3. ``on_llm_end`` logs ``("end", text)``, once, with the whole answer. It receives an
   ``LLMResult``: the answer is ``response.generations[0][0].text``;
4. ``text`` returns the answer put together from the tokens logged so far, also while the
   answer is still streaming.

Try it::

    from coursekit import FakeStreamingChatModel
    log = EventLog()
    for _ in FakeStreamingChatModel().stream("hi", config={"callbacks": [log]}):
        pass
    print(log.events[:3], log.events[-1][0])
    # [('start', ''), ('token', 'Here'), ('token', ' is')] end
    print(log.text)
    # Here is a short answer. A language model writes one token at a time, ...

Read this task in your language: ``coursekit task ex01_event_log``.
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
        # TODO: append ("start", "") to self.events.
        raise NotImplementedError("on_chat_model_start")

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        # TODO: if the token is not empty, append ("token", token).
        raise NotImplementedError("on_llm_new_token")

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        # TODO: append ("end", response.generations[0][0].text).
        raise NotImplementedError("on_llm_end")

    @property
    def text(self) -> str:
        """The answer so far: the logged tokens, joined."""
        # TODO: join the details of the "token" events.
        raise NotImplementedError("text")

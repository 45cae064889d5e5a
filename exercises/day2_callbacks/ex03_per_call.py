"""Exercise 3: pass callbacks with the call, so each request of a shared chain has its own observer.

A handler given to a model's constructor (``callbacks=[...]``) fires on every call of that
model, whoever makes it, and sees nothing but the model. A handler passed with one call,
``config={"callbacks": [...]}``, is handed down to every step that call runs (the chain itself,
its prompt, its chat model, its parser) and to nothing else. It is the right tool on a server,
where one chain serves every user at the same time and each request needs its own observer: a
token log for that user, a progress bar, a bill.

Your app answers several requests at once with one ``prompt | model | parser`` chain, and keeps
a log of the tokens the chat model sent for each request. Complete ``TokenLog`` and write
``tokens_per_request(chain, requests)``:

1. ``TokenLog.on_llm_new_token`` appends every token that is not empty to ``self.tokens``
   (the chunks that open and close a stream are empty; a space or a line break is a token);
2. ``tokens_per_request`` runs ``chain`` once for each dict of inputs in ``requests``, each
   with a ``TokenLog`` of its own passed in the config of that request's call, and returns the
   lists of tokens in the order of ``requests``. Stream each call (``chain.astream``): the chat
   model sends tokens to the callbacks only when it streams, and ``ainvoke()`` does not.
   Take the tokens from the logs, not from what the chain yields: the chain may end in a step
   that is not text (a JSON parser, a word count), while the handler reaches the chat model
   inside it;
3. run the requests at the same time (``asyncio.gather`` or a ``TaskGroup``), as a server does;
4. keep every request's tokens apart, and attach nothing for good: no handler shared by two
   requests, nothing set on the model (``model.callbacks``) or on the chain, so that another
   call of the same chain, made at the same time or later, reaches none of your logs.

Try it::

    import asyncio
    from langchain_core.output_parsers import StrOutputParser
    from langchain_core.prompts import ChatPromptTemplate
    from coursekit import FakeStreamingChatModel

    replies = {"rivers": "Rivers run downhill to the sea.", "tides": "The moon pulls the tides."}
    model = FakeStreamingChatModel(rules=replies, token_delay=0.01)
    chain = ChatPromptTemplate.from_template("Explain {topic}") | model | StrOutputParser()
    for tokens in asyncio.run(tokens_per_request(chain, [{"topic": "rivers"}, {"topic": "tides"}])):
        print(tokens)

Each list holds the tokens of its own answer only, although the two answers streamed at the
same time through the same chain.

Read this task in your language: ``coursekit task ex03_per_call``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.runnables import Runnable


class TokenLog(BaseCallbackHandler):
    """Keeps the chat model's tokens of the one run it is passed to."""

    def __init__(self) -> None:
        self.tokens: list[str] = []

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        # TODO: append the token to self.tokens, unless it is empty.
        raise NotImplementedError("on_llm_new_token")


async def tokens_per_request(chain: Runnable[Any, Any], requests: Sequence[dict[str, Any]]) -> list[list[str]]:
    """Stream every request through ``chain`` at once; return each request's tokens, in request order."""
    # TODO: make one TokenLog per request. For each request, loop over
    # chain.astream(inputs, config={"callbacks": [its_log]}); run those loops together with
    # asyncio.gather, then return each log's tokens, in the order of requests.
    raise NotImplementedError("tokens_per_request")

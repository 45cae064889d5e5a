"""Exercise 3: pass callbacks with the call, so they follow it through the whole chain.

A handler given to a model's constructor (``callbacks=[...]``) fires on every call of that
model, and sees nothing but the model. A handler passed with one call,
``config={"callbacks": [...]}``, is handed down to every step that call runs: the chain itself,
its prompt, its chat model and its parser. It is the right tool when one request needs its own
observers (a progress bar, a per-user log) and the chain is shared by everyone.

Write ``stream_answer(chain, inputs, callbacks)`` that:

1. streams ``chain`` with ``inputs`` once and returns the whole answer: join the pieces that
   ``chain.stream(...)`` yields (a second call, to ``invoke()`` say, would run the model twice);
2. passes ``callbacks`` in the config of that call, so the handlers see every step of the run,
   including each token of the chat model. (``chain.invoke()`` would not do: the model only
   sends tokens to callbacks when it streams);
3. does not attach the handlers for good: a later call that does not pass them must not reach
   them. Do not touch ``model.callbacks`` or keep a configured chain around.

Try it::

    from langchain_core.callbacks import StreamingStdOutCallbackHandler
    from langchain_core.output_parsers import StrOutputParser
    from langchain_core.prompts import ChatPromptTemplate
    from coursekit import FakeStreamingChatModel
    chain = ChatPromptTemplate.from_template("Explain {topic}") | FakeStreamingChatModel() | StrOutputParser()
    answer = stream_answer(chain, {"topic": "callbacks"}, [StreamingStdOutCallbackHandler()])

The handler prints the answer token by token while it streams, and ``answer`` holds the same
text. Call ``chain.invoke({"topic": "callbacks"})`` afterwards: nothing is printed, because the
handler belonged to the first call only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.runnables import Runnable


def stream_answer(chain: Runnable[Any, str], inputs: dict[str, Any], callbacks: Sequence[BaseCallbackHandler]) -> str:
    """Stream ``chain`` once with ``callbacks`` attached to this run only, and return the answer."""
    # TODO: loop over chain.stream(inputs, config={"callbacks": [...]}) and join the pieces.
    raise NotImplementedError("stream_answer")

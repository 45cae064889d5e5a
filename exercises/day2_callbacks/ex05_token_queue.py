"""Exercise 5: hand the tokens of a callback to another task, through an ``asyncio.Queue``.

A handler is called by the model, in the model's rhythm, and the model waits for it. The code
that actually uses the tokens (a websocket, a UI, a logger) has a rhythm of its own. An
``asyncio.Queue`` in between decouples them: the handler drops each token in the queue and
returns at once, and a consumer takes them out whenever it is ready. This is how you turn
callbacks into an async iterator, for example to stream a chain that you can only ``ainvoke()``.

Complete ``TokenQueue``, an ``AsyncCallbackHandler`` (its hooks are coroutines that run on the
event loop, so ``put_nowait`` on an ``asyncio.Queue`` is safe there):

1. ``on_llm_new_token`` puts every token that is not empty on ``queue``, with ``put_nowait``
   (the chunks that open and close a stream are empty; a line break is a token);
   ``on_llm_end`` puts ``DONE``;
2. ``on_llm_error`` puts the exception itself on the queue: without it, a consumer would wait
   forever for a ``DONE`` that never comes.

Then write the async generator ``relay(model, question)``. The model was built with
``streaming=True``, so ``ainvoke()`` sends every token to the callbacks:

3. start ``model.ainvoke(question, config={"callbacks": [handler]})`` in a task of its own
   (``asyncio.create_task``) and yield each token from the queue *as it arrives*, until
   ``DONE``. Waiting for the task first would deliver everything at the end;
4. when an exception comes off the queue, raise it: after the tokens that came before it. The
   hooks only hear what the model says, and a call can fail before the model starts: in
   ``relay(model, 12345)`` ``ainvoke()`` refuses the number, and no hook ever fires. So let the
   end of the call reach the queue too: give the task a done-callback
   (``task.add_done_callback(...)``) that puts the task's exception on the queue when it failed
   (a done-callback also runs for a cancelled task, which has no exception to ask for), or wait
   for the queue and the task together (``asyncio.wait(..., return_when=FIRST_COMPLETED)``);
5. never leave the model's task running behind you: if the reader stops early (``aclose()``)
   or is cancelled, cancel the task and wait for it (``try``/``finally``). Let the
   cancellation go on after that: a cancelled reader must end cancelled, not as if the answer
   were complete.

Try it::

    import asyncio
    from coursekit import FakeStreamingChatModel

    async def main():
        async for token in relay(FakeStreamingChatModel.realistic(streaming=True), "hi"):
            print(token, end="", flush=True)

    asyncio.run(main())

"Here is a short answer..." appears word by word, while the model is still streaming. Read
from ``relay(model, 12345)`` instead: it must raise the ``ValueError`` of ``ainvoke()`` at once,
not wait forever.

Read this task in your language: ``coursekit task ex05_token_queue``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from langchain_core.callbacks import AsyncCallbackHandler
from langchain_core.language_models import BaseChatModel
from langchain_core.outputs import LLMResult

DONE = object()
"""Put on the queue after the last token of a complete answer."""


class TokenQueue(AsyncCallbackHandler):
    """Puts the tokens, then ``DONE`` or the error, on ``queue``."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[Any] = asyncio.Queue()

    async def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        # TODO: put the token on self.queue with put_nowait, unless it is empty.
        raise NotImplementedError("on_llm_new_token")

    async def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        # TODO: put DONE on the queue.
        raise NotImplementedError("on_llm_end")

    async def on_llm_error(self, error: BaseException, **kwargs: Any) -> None:
        # TODO: put the error on the queue.
        raise NotImplementedError("on_llm_error")


async def relay(model: BaseChatModel, question: str) -> AsyncIterator[str]:
    """Yield the model's tokens as they arrive, through a ``TokenQueue``."""
    # TODO: create a TokenQueue and start model.ainvoke(...) with it in a task, and give the task
    # a done-callback that puts its exception on the queue when it failed. In a try block, take
    # items off the queue until DONE: raise an exception, yield a token. In the finally block,
    # cancel the task and wait for it (asyncio.gather(task, return_exceptions=True)).
    raise NotImplementedError("relay")
    yield  # a `yield` anywhere makes this function an async generator

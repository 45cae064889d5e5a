"""Exercise 4: give the model back to its pool when the client disconnects.

A model (or a provider connection, or a GPU) is often a limited resource that a server lends
to one stream at a time. ``ModelPool`` below does that: ``await pool.acquire()`` borrows a
model, waiting while all of them are busy, and ``pool.release(model)`` gives it back. A model
that is never given back is lost for good, and after a few of those every new client waits
forever.

The dangerous moment is the client that leaves in the middle of an answer: the browser tab
closed, the stop button pressed. sse-starlette notices and stops your generator from the
outside: it *cancels* it while it waits for the next chunk (``asyncio.CancelledError`` is
raised inside it) or *closes* it while it waits at a ``yield`` (``GeneratorExit``). The lines
after the loop never run, and neither does an ``except Exception`` block.

``ModelPool`` and ``create_app`` are done. Write the async generator
``pooled_token_events(pool, prompt)``:

1. borrow a model with ``model = await pool.acquire()``, then stream its token events: a
   ``token`` event per non-empty chunk of ``model.astream(prompt)`` (JSON ``{"text": ...}``,
   ids ``"1"``, ``"2"``...), as each chunk arrives, then one ``done`` event with
   ``{"tokens": <how many>}``; give the model back when the answer is complete;
2. when the client disconnects mid-answer, the model stops (let the cancellation pass; don't
   catch ``BaseException``) and goes back to the pool, so the next client gets it;
3. when the model fails mid-answer, it goes back to the pool too.

One ``try``/``finally`` around everything after ``acquire()`` covers the three cases.

Try it: stop the stream with Ctrl+C in curl and watch the pool::

    from coursekit import FakeStreamingChatModel
    from coursekit.server import BackgroundServer

    pool = ModelPool([FakeStreamingChatModel.realistic()])
    with BackgroundServer(create_app(pool)) as url:
        print(url)  # then: curl -N "<url>/stream?prompt=hi", and press Ctrl+C in curl
        input("Press Enter to see how many models are in use ")
        print(pool.in_use)

After you stop curl in the middle of an answer, ``pool.in_use`` is ``0``: the model is back in
the pool, and the next ``curl`` gets an answer at once instead of waiting.

Read this task in your language: ``coursekit task ex04_release_on_disconnect``.
"""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
from sse_starlette import EventSourceResponse, JSONServerSentEvent


class ModelPool:
    """Lends each model to one stream at a time; ``acquire`` waits while every model is busy."""

    def __init__(self, models: Sequence[BaseChatModel]) -> None:
        self.size = len(models)
        self._free: asyncio.Queue[BaseChatModel] = asyncio.Queue()
        for model in models:
            self._free.put_nowait(model)

    async def acquire(self) -> BaseChatModel:
        return await self._free.get()

    def release(self, model: BaseChatModel) -> None:
        self._free.put_nowait(model)

    @property
    def in_use(self) -> int:
        return self.size - self._free.qsize()


async def pooled_token_events(pool: ModelPool, prompt: str) -> AsyncIterator[JSONServerSentEvent]:
    """Borrow a model, stream its ``token`` events and ``done``, and always give it back."""
    # TODO: model = await pool.acquire(); then, in a try block, stream the token events and the
    # done event with only the count; in the finally block, pool.release(model).
    raise NotImplementedError("pooled_token_events")
    yield  # a `yield` anywhere makes this function an async generator


def create_app(pool: ModelPool) -> FastAPI:
    """``GET /stream?prompt=...`` streams the answer of a model borrowed from ``pool``."""
    app = FastAPI()

    @app.get("/stream")
    async def stream(prompt: str) -> EventSourceResponse:
        return EventSourceResponse(pooled_token_events(pool, prompt))

    return app

"""Exercise 3: turn a model that fails mid-stream into an ``error`` event.

Real providers fail halfway through an answer: a dropped connection, an overloaded server.
By then the response has started with ``200 OK`` and cannot change its status. If the
exception escapes the generator, the server can only cut the connection, and the client sees
a truncated stream it cannot tell from a network problem. Catch the failure inside the
generator and end the stream properly, with an event that says what happened.

``create_app`` is done. Write the async generator ``safe_token_events(model, prompt)``:

1. like ``token_events`` in exercise 2, it yields a ``token`` event per non-empty chunk of
   ``model.astream(prompt)`` (JSON ``{"text": ...}``, ids ``"1"``, ``"2"``...); when the
   model raises an ``Exception`` (before or after the first token), it yields one ``error``
   event with the JSON ``{"message": ERROR_MESSAGE, "tokens": <token events sent>}`` and
   stops: no ``done`` event after an error;
2. it logs the failure with its traceback, ``logger.exception(...)``, so the server's operator
   sees what went wrong; the client only gets ``ERROR_MESSAGE``, never the exception's text,
   which may reveal internal details;
3. without a failure, the tokens go out as they arrive, then ``done`` with only the count,
   ``{"tokens": <how many>}``: exercise 2's ``finish_reason`` and ``usage`` are left out here.

Catch ``Exception``, not ``BaseException``: when the client disconnects, the generator gets
``asyncio.CancelledError``, a ``BaseException``, and that one must go on unhandled so the
model stops.

Try it with a model that breaks after four chunks::

    from coursekit import FakeStreamingChatModel
    from coursekit.server import BackgroundServer

    app = create_app(FakeStreamingChatModel.realistic(error_after=4))
    with BackgroundServer(app) as url:
        print(url)  # then: curl -N "<url>/stream?prompt=hi"
        input("Press Enter to stop ")

curl shows four ``token`` events and then ``event: error`` with
``data: {"message":"The answer was interrupted. Please try again.","tokens":4}``, and the
command ends normally; the traceback appears in the server's log, not in curl.

Read this task in your language: ``coursekit task ex03_error_event``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
from sse_starlette import EventSourceResponse, JSONServerSentEvent

ERROR_MESSAGE = "The answer was interrupted. Please try again."
"""What the client is told: the details of the failure stay in the server's log."""

logger = logging.getLogger(__name__)


async def safe_token_events(model: BaseChatModel, prompt: str) -> AsyncIterator[JSONServerSentEvent]:
    """``token`` events, then ``done``; or, if the model fails, one ``error`` event instead of ``done``."""
    # TODO: start from the token loop of your exercise-2 token_events. Put the async for loop
    # in a try block; in `except Exception:` call logger.exception(...), yield the error event and
    # return. After the try block (no failure), yield the done event with only the count.
    raise NotImplementedError("safe_token_events")
    yield  # a `yield` anywhere makes this function an async generator


def create_app(model: BaseChatModel) -> FastAPI:
    """``GET /stream?prompt=...`` streams the model's answer, errors included."""
    app = FastAPI()

    @app.get("/stream")
    async def stream(prompt: str) -> EventSourceResponse:
        return EventSourceResponse(safe_token_events(model, prompt))

    return app

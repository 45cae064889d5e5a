"""Exercise 3: send a JSON answer to the browser as JSON Patch operations over SSE.

A form that fills itself in as the model writes needs the object so far, at every step. Sending
the whole partial object each time repeats everything already sent; ``JsonOutputParser(diff=True)``
sends only what changed, as RFC 6902 JSON Patch operations: for every change of the partial
object, it yields the list of operations that turn the previous partial into the new one. The
first replaces the root with ``{}``, a new key is an ``add``, and a growing string is sent whole
again with ``replace`` (JSON Patch has no "append"). A client that applies every list in order
(``jsonpatch.apply_patch`` in Python, ``fast-json-patch`` in the browser) holds the object so far,
and ends with the exact answer.

``create_app`` is done. Write the async generator ``patch_events(model, question)``, with the SSE
tools of day 3 (sse-starlette's ``JSONServerSentEvent``, whose data goes out as JSON):

1. stream ``model | JsonOutputParser(diff=True)`` once with ``astream(question)`` and yield each
   list of operations as a ``patch`` event, ``JSONServerSentEvent(operations, event="patch")``,
   the moment the parser yields it; then a ``done`` event, ``{"patches": <patch events sent>}``;
2. a failure is raised by the ``async for`` itself: catch it around the loop (``except
   Exception``), log it with ``logger.exception(...)``, yield an ``error`` event,
   ``{"message": ERROR_MESSAGE, "patches": <patch events sent>}``, and stop: no ``done`` after an
   error, and never the exception's own text to the client. The patches already sent stay valid:
   the client keeps the object so far.

Try it::

    from coursekit import FakeStreamingChatModel
    from coursekit.server import BackgroundServer

    model = FakeStreamingChatModel.realistic(rules={"Rio": {"city": "Rio de Janeiro", "country": "Brazil"}})
    with BackgroundServer(create_app(model)) as url:
        print(url)  # then: curl -N "<url>/fill?question=Rio"
        input("Press Enter to stop ")

curl shows ``patch`` events, the first ``[{"op":"replace","path":"","value":{}}]``, then ``add`` and
``replace`` operations as the city grows, and a ``done`` event.

Read this task in your language: ``coursekit task ex03_patches_over_sse``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import JsonOutputParser  # noqa: F401  (you will need it)
from sse_starlette import EventSourceResponse, JSONServerSentEvent

ERROR_MESSAGE = "The answer was interrupted. Please try again."
"""What the client is told: the details of the failure stay in the server's log."""

logger = logging.getLogger(__name__)


async def patch_events(model: BaseChatModel, question: str) -> AsyncIterator[JSONServerSentEvent]:
    """One ``patch`` event per list of operations as the answer is written, then ``done``; or ``error``."""
    # TODO: patches = 0; try: async for operations in (model | JsonOutputParser(diff=True)).astream(question):
    # count it and yield JSONServerSentEvent(operations, event="patch"). except Exception: logger.exception(...),
    # yield the "error" event, return. After the try, yield the "done" event.
    raise NotImplementedError("patch_events")
    yield  # a `yield` anywhere makes this function an async generator


def create_app(model: BaseChatModel) -> FastAPI:
    """``GET /fill?question=...`` streams the answer as JSON Patch operations."""
    app = FastAPI()

    @app.get("/fill")
    async def fill(question: str) -> EventSourceResponse:
        return EventSourceResponse(patch_events(model, question))

    return app

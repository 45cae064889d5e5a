"""Exercise 3 (solution): a JSON answer sent to the browser as JSON Patch operations over SSE.

``JsonOutputParser(diff=True)`` yields, for every change of the partial object, the RFC 6902
operations that turn the previous partial into the new one: the first replaces the root with
``{}``, a new key is an ``add``, a growing string is ``replace``d whole. Each list of operations
becomes one ``patch`` event, so a page that applies them in order holds the object so far and
ends with the exact answer. A failure is raised by the ``async for`` itself; caught, it ends the
stream with an ``error`` event instead of a cut connection, and never a ``done``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import JsonOutputParser
from sse_starlette import EventSourceResponse, JSONServerSentEvent

ERROR_MESSAGE = "The answer was interrupted. Please try again."
"""What the client is told: the details of the failure stay in the server's log."""

logger = logging.getLogger(__name__)


async def patch_events(model: BaseChatModel, question: str) -> AsyncIterator[JSONServerSentEvent]:
    """One ``patch`` event per list of operations as the answer is written, then ``done``; or ``error``."""
    patches = 0
    try:
        async for operations in (model | JsonOutputParser(diff=True)).astream(question):
            patches += 1
            yield JSONServerSentEvent(operations, event="patch")
    except Exception:
        logger.exception("the answer failed after %d patches", patches)
        yield JSONServerSentEvent({"message": ERROR_MESSAGE, "patches": patches}, event="error")
        return
    yield JSONServerSentEvent({"patches": patches}, event="done")


def create_app(model: BaseChatModel) -> FastAPI:
    """``GET /fill?question=...`` streams the answer as JSON Patch operations."""
    app = FastAPI()

    @app.get("/fill")
    async def fill(question: str) -> EventSourceResponse:
        return EventSourceResponse(patch_events(model, question))

    return app

"""Exercise 3 (solution): a model that fails mid-stream becomes an ``error`` event.

Once the first byte of a stream is sent, the status is ``200 OK`` for good. An exception that
escapes the generator can only break the connection, and the client cannot tell a crash from
a network hiccup. Catching it inside the generator lets the stream end properly, with an event
that says what happened. ``except Exception`` leaves ``CancelledError`` (a ``BaseException``)
alone, so a client that disconnects still stops the model.
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
    tokens = 0
    try:
        async for chunk in model.astream(prompt):
            if chunk.text:
                tokens += 1
                yield JSONServerSentEvent({"text": chunk.text}, event="token", id=str(tokens))
    except Exception:
        logger.exception("the model failed after %d tokens", tokens)
        yield JSONServerSentEvent({"message": ERROR_MESSAGE, "tokens": tokens}, event="error")
        return
    yield JSONServerSentEvent({"tokens": tokens}, event="done")


def create_app(model: BaseChatModel) -> FastAPI:
    """``GET /stream?prompt=...`` streams the model's answer, errors included."""
    app = FastAPI()

    @app.get("/stream")
    async def stream(prompt: str) -> EventSourceResponse:
        return EventSourceResponse(safe_token_events(model, prompt))

    return app

"""Exercise 2 (solution): an endpoint that streams a model's tokens as Server-Sent Events.

``token_events`` is an async generator over ``model.astream()``: while it waits for the next
token, the server's event loop is free to serve other clients. ``EventSourceResponse`` sends
each event the moment the generator yields it, then closes the response when it returns.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
from sse_starlette import EventSourceResponse, JSONServerSentEvent


async def token_events(model: BaseChatModel, prompt: str) -> AsyncIterator[JSONServerSentEvent]:
    """A ``token`` event per non-empty chunk (ids 1, 2, ...), then one ``done`` event."""
    tokens = 0
    async for chunk in model.astream(prompt):
        if chunk.text:
            tokens += 1
            yield JSONServerSentEvent({"text": chunk.text}, event="token", id=str(tokens))
    yield JSONServerSentEvent({"tokens": tokens}, event="done")


def create_app(model: BaseChatModel) -> FastAPI:
    """``GET /stream?prompt=...`` streams the model's answer."""
    app = FastAPI()

    @app.get("/stream")
    async def stream(prompt: str) -> EventSourceResponse:
        return EventSourceResponse(token_events(model, prompt))

    return app

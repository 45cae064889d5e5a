"""Exercise 6 (solution): a chain's events, forwarded to the browser as named SSE events.

Starts and ends of every run but the chain's own become ``step`` events, with the ids a page
needs to draw them as a tree; the model's text chunks become ``token`` events. A failure
produces no event at all: it is raised by the ``async for`` itself, so the loop sits in a
``try`` and the stream ends with an ``error`` event instead of a cut connection.
``except Exception`` lets ``CancelledError`` through, so a client that leaves still stops the chain.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI
from langchain_core.runnables import Runnable
from sse_starlette import EventSourceResponse, JSONServerSentEvent

ERROR_MESSAGE = "The answer was interrupted. Please try again."
"""What the client is told: the details of the failure stay in the server's log."""

logger = logging.getLogger(__name__)


def step(event: dict[str, Any]) -> dict[str, str]:
    """``on_<type>_<start|end>`` of one run as the data of a ``step`` event."""
    run_type, _, status = event["event"].removeprefix("on_").rpartition("_")
    return {"id": event["run_id"], "parent": event["parent_ids"][-1], "name": event["name"], "type": run_type, "status": status}


async def step_events(chain: Runnable, inputs: Any) -> AsyncIterator[JSONServerSentEvent]:
    """``step`` and ``token`` events as the chain runs, then ``done``; or ``error`` if it fails."""
    tokens = 0
    try:
        async for event in chain.astream_events(inputs, version="v2"):
            if event["event"] == "on_chat_model_stream":
                if text := event["data"]["chunk"].text:
                    tokens += 1
                    yield JSONServerSentEvent({"text": text}, event="token")
            elif event["parent_ids"] and event["event"].endswith(("_start", "_end")):
                yield JSONServerSentEvent(step(event), event="step")
    except Exception:
        logger.exception("the chain failed after %d tokens", tokens)
        yield JSONServerSentEvent({"message": ERROR_MESSAGE, "tokens": tokens}, event="error")
        return
    yield JSONServerSentEvent({"tokens": tokens}, event="done")


def create_app(chain: Runnable) -> FastAPI:
    """``GET /ask?question=...`` streams the chain's steps and answer."""
    app = FastAPI()

    @app.get("/ask")
    async def ask(question: str) -> EventSourceResponse:
        return EventSourceResponse(step_events(chain, question))

    return app

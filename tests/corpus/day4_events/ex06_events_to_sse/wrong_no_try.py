"""Forwards the events with no try around the loop, waiting for an error event that astream_events never sends.

The student expects a failure to arrive as an event (an "on_chain_error") and checks for it; but
the exception is raised by the async for, escapes the generator, and the server cuts the connection.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI
from langchain_core.runnables import Runnable
from sse_starlette import EventSourceResponse, JSONServerSentEvent

ERROR_MESSAGE = "The answer was interrupted. Please try again."

logger = logging.getLogger(__name__)


def step(event: dict[str, Any]) -> dict[str, str]:
    run_type, _, status = event["event"].removeprefix("on_").rpartition("_")
    return {"id": event["run_id"], "parent": event["parent_ids"][-1], "name": event["name"], "type": run_type, "status": status}


async def step_events(chain: Runnable, inputs: Any) -> AsyncIterator[JSONServerSentEvent]:
    tokens = 0
    async for event in chain.astream_events(inputs, version="v2"):
        if event["event"] == "on_chat_model_stream":
            if text := event["data"]["chunk"].text:
                tokens += 1
                yield JSONServerSentEvent({"text": text}, event="token")
        elif event["event"].endswith("_error"):
            logger.error("the chain failed after %d tokens", tokens)
            yield JSONServerSentEvent({"message": ERROR_MESSAGE, "tokens": tokens}, event="error")
            return
        elif event["parent_ids"] and event["event"].endswith(("_start", "_end")):
            yield JSONServerSentEvent(step(event), event="step")
    yield JSONServerSentEvent({"tokens": tokens}, event="done")


def create_app(chain: Runnable) -> FastAPI:
    app = FastAPI()

    @app.get("/ask")
    async def ask(question: str) -> EventSourceResponse:
        return EventSourceResponse(step_events(chain, question))

    return app

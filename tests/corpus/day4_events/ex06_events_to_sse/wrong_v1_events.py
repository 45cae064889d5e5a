"""Asks astream_events for version="v1", as an older tutorial did.

The tokens still come, but v1 events carry no parent_ids (always an empty list), so every run looks
like the chain itself and no step is ever sent.
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
    try:
        async for event in chain.astream_events(inputs, version="v1"):
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
    app = FastAPI()

    @app.get("/ask")
    async def ask(question: str) -> EventSourceResponse:
        return EventSourceResponse(step_events(chain, question))

    return app

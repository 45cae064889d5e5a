"""Correct: yields plain dicts with JSON text as data, sorts the events with match, and remembers a failure for after the loop."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI
from langchain_core.runnables import Runnable
from sse_starlette import EventSourceResponse

ERROR_MESSAGE = "The answer was interrupted. Please try again."

logger = logging.getLogger(__name__)


def sse(name: str, data: dict[str, Any]) -> dict[str, str]:
    return {"event": name, "data": json.dumps(data)}


async def step_events(chain: Runnable, inputs: Any) -> AsyncIterator[dict[str, str]]:
    sent = 0
    failed = False
    try:
        async for event in chain.astream_events(inputs, version="v2"):
            kind = event["event"]
            match kind.rsplit("_", 1):
                case ["on_chat_model", "stream"] if event["data"]["chunk"].text:
                    sent += 1
                    yield sse("token", {"text": event["data"]["chunk"].text})
                case [prefix, ("start" | "end") as status] if event["parent_ids"]:
                    data = {"id": event["run_id"], "parent": event["parent_ids"][-1], "name": event["name"]}
                    yield sse("step", data | {"type": prefix.removeprefix("on_"), "status": status})
    except Exception:
        logger.error("chain failed", exc_info=True)
        failed = True
    if failed:
        yield sse("error", {"message": ERROR_MESSAGE, "tokens": sent})
    else:
        yield sse("done", {"tokens": sent})


def create_app(chain: Runnable) -> FastAPI:
    app = FastAPI()

    @app.get("/ask")
    async def ask(question: str) -> EventSourceResponse:
        return EventSourceResponse(step_events(chain, question))

    return app

"""Sends the operations with a plain ServerSentEvent, whose data is the Python text of the list, not JSON."""

from __future__ import annotations

import logging

from fastapi import FastAPI
from langchain_core.output_parsers import JsonOutputParser
from sse_starlette import EventSourceResponse, ServerSentEvent

ERROR_MESSAGE = "The answer was interrupted. Please try again."

logger = logging.getLogger(__name__)


async def patch_events(model, question):
    patches = 0
    try:
        async for operations in (model | JsonOutputParser(diff=True)).astream(question):
            patches += 1
            yield ServerSentEvent(operations, event="patch")
    except Exception:
        logger.exception("the answer failed")
        yield ServerSentEvent({"message": ERROR_MESSAGE, "patches": patches}, event="error")
        return
    yield ServerSentEvent({"patches": patches}, event="done")


def create_app(model):
    app = FastAPI()

    @app.get("/fill")
    async def fill(question: str):
        return EventSourceResponse(patch_events(model, question))

    return app


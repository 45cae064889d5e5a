"""Sends the error event but goes on to send done as well, so the client thinks the answer is complete."""

from __future__ import annotations

import logging

from fastapi import FastAPI
from langchain_core.output_parsers import JsonOutputParser
from sse_starlette import EventSourceResponse, JSONServerSentEvent

ERROR_MESSAGE = "The answer was interrupted. Please try again."

logger = logging.getLogger(__name__)


async def patch_events(model, question):
    patches = 0
    try:
        async for operations in (model | JsonOutputParser(diff=True)).astream(question):
            patches += 1
            yield JSONServerSentEvent(operations, event="patch")
    except Exception:
        logger.exception("the answer failed")
        yield JSONServerSentEvent({"message": ERROR_MESSAGE, "patches": patches}, event="error")
    yield JSONServerSentEvent({"patches": patches}, event="done")


def create_app(model):
    app = FastAPI()

    @app.get("/fill")
    async def fill(question: str):
        return EventSourceResponse(patch_events(model, question))

    return app


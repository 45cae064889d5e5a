"""Collects every patch first, then sends them all at once, so the form fills in only at the end."""

from __future__ import annotations

import logging

from fastapi import FastAPI
from langchain_core.output_parsers import JsonOutputParser
from sse_starlette import EventSourceResponse, JSONServerSentEvent

ERROR_MESSAGE = "The answer was interrupted. Please try again."

logger = logging.getLogger(__name__)


async def patch_events(model, question):
    try:
        patches = [operations async for operations in (model | JsonOutputParser(diff=True)).astream(question)]
    except Exception:
        logger.exception("the answer failed")
        yield JSONServerSentEvent({"message": ERROR_MESSAGE, "patches": 0}, event="error")
        return
    for operations in patches:
        yield JSONServerSentEvent(operations, event="patch")
    yield JSONServerSentEvent({"patches": len(patches)}, event="done")


def create_app(model):
    app = FastAPI()

    @app.get("/fill")
    async def fill(question: str):
        return EventSourceResponse(patch_events(model, question))

    return app


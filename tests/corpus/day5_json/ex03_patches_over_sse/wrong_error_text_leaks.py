"""Tells the client what went wrong by sending the exception's own text."""

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
    except Exception as error:
        logger.exception("the answer failed")
        yield JSONServerSentEvent({"message": f"{ERROR_MESSAGE} ({error})", "patches": patches}, event="error")
        return
    yield JSONServerSentEvent({"patches": patches}, event="done")


def create_app(model):
    app = FastAPI()

    @app.get("/fill")
    async def fill(question: str):
        return EventSourceResponse(patch_events(model, question))

    return app


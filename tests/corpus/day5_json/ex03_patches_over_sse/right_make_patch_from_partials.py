"""Computes each patch itself with jsonpatch.make_patch between consecutive partial objects, sent as dict events."""

from __future__ import annotations

import json
import logging

import jsonpatch
from fastapi import FastAPI
from langchain_core.output_parsers import JsonOutputParser
from sse_starlette import EventSourceResponse

ERROR_MESSAGE = "The answer was interrupted. Please try again."

log = logging.getLogger("form")


async def patch_events(model, question):
    sent = 0
    before = {}
    try:
        async for partial in (model | JsonOutputParser()).astream(question):
            operations = jsonpatch.make_patch(before, partial).patch
            before = partial
            if operations:
                sent += 1
                yield {"event": "patch", "data": json.dumps(operations)}
    except Exception:
        log.exception("the form could not be filled in")
        yield {"event": "error", "data": json.dumps({"message": ERROR_MESSAGE, "patches": sent})}
    else:
        yield {"event": "done", "data": json.dumps({"patches": sent})}


def create_app(model):
    app = FastAPI()

    @app.get("/fill")
    async def fill(question: str):
        return EventSourceResponse(patch_events(model, question))

    return app

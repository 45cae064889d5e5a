"""Correct: plain dict events with json.dumps, and ids from itertools.count."""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
from sse_starlette import EventSourceResponse


async def token_events(model: BaseChatModel, prompt: str) -> AsyncIterator[dict[str, Any]]:
    ids = itertools.count(1)
    sent = 0
    async for chunk in model.astream(prompt):
        if not chunk.text:
            continue
        sent = next(ids)
        yield {"event": "token", "id": str(sent), "data": json.dumps({"text": chunk.text})}
    yield {"event": "done", "data": json.dumps({"tokens": sent})}


def create_app(model: BaseChatModel) -> FastAPI:
    app = FastAPI()
    app.add_api_route("/stream", lambda prompt: EventSourceResponse(token_events(model, prompt)), methods=["GET"])
    return app

"""Correct: no sum; it keeps the finish reason and the usage as the chunks that carry them pass, and writes dict events."""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
from sse_starlette import EventSourceResponse


async def token_events(model: BaseChatModel, prompt: str) -> AsyncIterator[dict[str, Any]]:
    numbers = itertools.count(1)
    sent = 0
    ended: dict[str, Any] = {"finish_reason": None, "usage": None}
    async for chunk in model.astream(prompt):
        if "finish_reason" in chunk.response_metadata:
            ended["finish_reason"] = chunk.response_metadata["finish_reason"]
        if getattr(chunk, "usage_metadata", None):
            ended["usage"] = chunk.usage_metadata
        if not chunk.text:
            continue
        sent = next(numbers)
        yield {"event": "token", "id": str(sent), "data": json.dumps({"text": chunk.text})}
    yield {"event": "done", "data": json.dumps({"tokens": sent, **ended})}


def create_app(model: BaseChatModel) -> FastAPI:
    app = FastAPI()
    app.add_api_route("/stream", lambda prompt: EventSourceResponse(token_events(model, prompt)), methods=["GET"])
    return app

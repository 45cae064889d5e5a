"""Correct: pulls chunks with anext() in a while loop, remembers a failure, and picks the closing event after it."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
from sse_starlette import EventSourceResponse, ServerSentEvent

ERROR_MESSAGE = "The answer was interrupted. Please try again."

logger = logging.getLogger(__name__)


def _event(name: str, payload: dict, event_id: int | None = None) -> ServerSentEvent:
    return ServerSentEvent(json.dumps(payload), event=name, id=None if event_id is None else str(event_id))


async def safe_token_events(model: BaseChatModel, prompt: str) -> AsyncIterator[ServerSentEvent]:
    texts: list[str] = []
    failed = False
    stream = model.astream(prompt)
    while True:
        try:
            chunk = await anext(stream)
        except StopAsyncIteration:
            break
        except Exception:
            logger.error("model stream failed", exc_info=True)
            failed = True
            break
        if chunk.text:
            texts.append(chunk.text)
            yield _event("token", {"text": chunk.text}, len(texts))
    if failed:
        yield _event("error", {"message": ERROR_MESSAGE, "tokens": len(texts)})
    else:
        yield _event("done", {"tokens": len(texts)})


def create_app(model: BaseChatModel) -> FastAPI:
    app = FastAPI()

    @app.get("/stream")
    async def stream(prompt: str) -> EventSourceResponse:
        return EventSourceResponse(safe_token_events(model, prompt))

    return app

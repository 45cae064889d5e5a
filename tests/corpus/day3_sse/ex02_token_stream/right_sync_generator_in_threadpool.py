"""Correct: a plain def generator over model.stream(), which sse-starlette iterates in a worker thread."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
from sse_starlette import EventSourceResponse, JSONServerSentEvent


def token_events(model: BaseChatModel, prompt: str) -> Iterator[JSONServerSentEvent]:
    tokens = 0
    for chunk in model.stream(prompt):
        if chunk.text:
            tokens += 1
            yield JSONServerSentEvent({"text": chunk.text}, event="token", id=str(tokens))
    yield JSONServerSentEvent({"tokens": tokens}, event="done")


def create_app(model: BaseChatModel) -> FastAPI:
    app = FastAPI()

    @app.get("/stream")
    def stream(prompt: str) -> EventSourceResponse:
        return EventSourceResponse(token_events(model, prompt))

    return app

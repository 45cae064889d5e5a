"""Waits for the whole answer with ainvoke(), then sends its words one by one as if they were streamed."""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
from sse_starlette import EventSourceResponse, JSONServerSentEvent


async def token_events(model: BaseChatModel, prompt: str) -> AsyncIterator[JSONServerSentEvent]:
    answer = await model.ainvoke(prompt)
    words = answer.text.split(" ")
    for number, word in enumerate(words, start=1):
        text = word if number == 1 else " " + word
        yield JSONServerSentEvent({"text": text}, event="token", id=str(number))
    yield JSONServerSentEvent({"tokens": len(words)}, event="done")


def create_app(model: BaseChatModel) -> FastAPI:
    app = FastAPI()

    @app.get("/stream")
    async def stream(prompt: str) -> EventSourceResponse:
        return EventSourceResponse(token_events(model, prompt))

    return app

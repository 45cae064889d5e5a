"""Correct: the JSON path gathers the stream with async for and returns a plain dict."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
from pydantic import BaseModel
from sse_starlette import EventSourceResponse, JSONServerSentEvent


class ChatRequest(BaseModel):
    message: str
    stream: bool = False


class ChatReply(BaseModel):
    reply: str


async def token_events(model: BaseChatModel, message: str) -> AsyncIterator[JSONServerSentEvent]:
    tokens = 0
    async for chunk in model.astream(message):
        if chunk.text:
            tokens += 1
            yield JSONServerSentEvent({"text": chunk.text}, event="token", id=str(tokens))
    yield JSONServerSentEvent({"tokens": tokens}, event="done")


async def whole_answer(model: BaseChatModel, message: str) -> dict[str, Any]:
    pieces = [chunk.text async for chunk in model.astream(message)]
    return {"reply": "".join(pieces)}


def create_app(model: BaseChatModel) -> FastAPI:
    app = FastAPI()

    @app.post("/chat", response_model=None)
    async def chat(body: ChatRequest) -> dict[str, Any] | EventSourceResponse:
        if not body.stream:
            return await whole_answer(model, body.message)
        return EventSourceResponse(token_events(model, body.message))

    return app

"""Streams only when the flag was sent at all, so "stream": false streams too."""

from __future__ import annotations

from collections.abc import AsyncIterator

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


def create_app(model: BaseChatModel) -> FastAPI:
    app = FastAPI()

    @app.post("/chat", response_model=None)
    async def chat(body: ChatRequest) -> ChatReply | EventSourceResponse:
        if "stream" in body.model_fields_set:
            return EventSourceResponse(token_events(model, body.message))
        answer = await model.ainvoke(body.message)
        return ChatReply(reply=answer.text)

    return app

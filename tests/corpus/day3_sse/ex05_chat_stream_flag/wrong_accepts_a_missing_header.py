"""Checks the token only when an Authorization header is sent, so a request without one gets in."""

from collections.abc import AsyncIterator
from typing import Annotated

import jwt
from fastapi import Depends, FastAPI, Header, HTTPException
from langchain_core.language_models import BaseChatModel
from pydantic import BaseModel
from sse_starlette import EventSourceResponse, JSONServerSentEvent

ALGORITHM = "HS256"


class ChatRequest(BaseModel):
    message: str
    stream: bool = False


class ChatReply(BaseModel):
    reply: str


def verify(token: str, secret: str) -> str:
    claims = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": ["exp", "sub"]})
    return str(claims["sub"])


async def token_events(model: BaseChatModel, message: str) -> AsyncIterator[JSONServerSentEvent]:
    tokens = 0
    async for chunk in model.astream(message):
        if chunk.text:
            tokens += 1
            yield JSONServerSentEvent({"text": chunk.text}, event="token", id=str(tokens))
    yield JSONServerSentEvent({"tokens": tokens}, event="done")


def create_app(model: BaseChatModel, secret: str) -> FastAPI:
    app = FastAPI()

    async def current_user(authorization: Annotated[str | None, Header()] = None) -> str:
        if authorization:
            try:
                return verify(authorization.removeprefix("Bearer "), secret)
            except jwt.InvalidTokenError:
                raise HTTPException(401, "Invalid token", headers={"WWW-Authenticate": "Bearer"}) from None
        return "guest"

    @app.post("/chat", response_model=None)
    async def chat(body: ChatRequest, user: Annotated[str, Depends(current_user)]) -> ChatReply | EventSourceResponse:
        if body.stream:
            return EventSourceResponse(token_events(model, body.message))
        answer = await model.ainvoke(body.message)
        return ChatReply(reply=answer.text)

    return app

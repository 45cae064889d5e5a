"""Lets an expired token through as valid (its signature is fine, it is only old), so expired tokens still get answers."""

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
        if authorization is None or not authorization.startswith("Bearer "):
            raise HTTPException(401, "Not logged in", headers={"WWW-Authenticate": "Bearer"})
        token = authorization[len("Bearer "):]
        try:
            return verify(token, secret)
        except jwt.ExpiredSignatureError:
            # The user did log in; the token just ran out. Let them finish, they can log in again later.
            claims = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"verify_exp": False})
            return str(claims["sub"])
        except jwt.InvalidTokenError:
            raise HTTPException(401, "Invalid token", headers={"WWW-Authenticate": "Bearer"}) from None

    @app.post("/chat", response_model=None)
    async def chat(body: ChatRequest, user: Annotated[str, Depends(current_user)]) -> ChatReply | EventSourceResponse:
        if body.stream:
            return EventSourceResponse(token_events(model, body.message))
        answer = await model.ainvoke(body.message)
        return ChatReply(reply=answer.text)

    return app

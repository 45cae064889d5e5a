"""Correct: an HTTPBearer scheme and a callable gate guard the whole app; the JSON path gathers the stream."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import jwt
from fastapi import Depends, FastAPI, HTTPException, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from langchain_core.language_models import BaseChatModel
from pydantic import BaseModel
from sse_starlette import EventSourceResponse, JSONServerSentEvent

ALGORITHM = "HS256"
bearer_scheme = HTTPBearer(auto_error=False)


class ChatRequest(BaseModel):
    message: str
    stream: bool = False


class ChatReply(BaseModel):
    reply: str


def verify(token: str, secret: str) -> str:
    claims = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": ["exp", "sub"]})
    return str(claims["sub"])


class TokenGate:
    """A dependency object: FastAPI calls it with the parsed bearer credentials, or None."""

    def __init__(self, secret: str) -> None:
        self.secret = secret

    def refuse(self, detail: str) -> HTTPException:
        return HTTPException(401, detail, headers={"WWW-Authenticate": "Bearer"})

    async def __call__(self, credentials: HTTPAuthorizationCredentials | None = Security(bearer_scheme)) -> str:
        if credentials is None:
            raise self.refuse("Log in first")
        try:
            return verify(credentials.credentials, self.secret)
        except jwt.PyJWTError:
            raise self.refuse("Invalid token") from None


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


def create_app(model: BaseChatModel, secret: str) -> FastAPI:
    app = FastAPI(dependencies=[Depends(TokenGate(secret))])  # every route of the app needs a token

    @app.post("/chat", response_model=None)
    async def chat(body: ChatRequest) -> dict[str, Any] | EventSourceResponse:
        if not body.stream:
            return await whole_answer(model, body.message)
        return EventSourceResponse(token_events(model, body.message))

    return app

"""Exercise 5 (solution): ``/chat`` behind a JWT dependency, answering in JSON or streaming on request.

The dependency runs before the endpoint body, so a request without a valid token is refused with
a 401 before the model is called: a refused client costs no tokens. The flag then picks the
response class, and both paths stay async (``ainvoke`` does not block the event loop).
"""

from collections.abc import AsyncIterator
from typing import Annotated

import jwt
from fastapi import Depends, FastAPI, Header, HTTPException
from langchain_core.language_models import BaseChatModel
from pydantic import BaseModel
from sse_starlette import EventSourceResponse, JSONServerSentEvent

ALGORITHM = "HS256"
CHALLENGE = {"WWW-Authenticate": "Bearer"}


class ChatRequest(BaseModel):
    message: str
    stream: bool = False


class ChatReply(BaseModel):
    reply: str


def verify(token: str, secret: str) -> str:
    """The user a valid token names; ``jwt.ExpiredSignatureError`` or another ``jwt.InvalidTokenError`` otherwise."""
    claims = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": ["exp", "sub"]})
    return str(claims["sub"])


async def token_events(model: BaseChatModel, message: str) -> AsyncIterator[JSONServerSentEvent]:
    """A ``token`` event per non-empty chunk (ids 1, 2, ...), then ``done`` with only the count."""
    tokens = 0
    async for chunk in model.astream(message):
        if chunk.text:
            tokens += 1
            yield JSONServerSentEvent({"text": chunk.text}, event="token", id=str(tokens))
    yield JSONServerSentEvent({"tokens": tokens}, event="done")


def create_app(model: BaseChatModel, secret: str) -> FastAPI:
    """``POST /chat`` for holders of a token signed with ``secret``: JSON, or events with ``"stream": true``."""
    app = FastAPI()

    async def current_user(authorization: Annotated[str | None, Header()] = None) -> str:
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise HTTPException(401, "Missing Authorization: Bearer <token>", headers=CHALLENGE)
        try:
            return verify(token, secret)
        except jwt.InvalidTokenError as error:  # expired ones too: ExpiredSignatureError is one
            raise HTTPException(401, "Invalid token", headers=CHALLENGE) from error

    @app.post("/chat", response_model=None)
    async def chat(body: ChatRequest, user: Annotated[str, Depends(current_user)]) -> ChatReply | EventSourceResponse:
        if body.stream:
            return EventSourceResponse(token_events(model, body.message))
        answer = await model.ainvoke(body.message)
        return ChatReply(reply=answer.text)

    return app

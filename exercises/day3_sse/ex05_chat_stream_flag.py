"""Exercise 5: ``/chat`` only for callers with a valid token, answering in JSON or streaming on request.

Every model call costs money, so an API checks who is calling before it calls the model. The
caller proves it with a JWT in the header ``Authorization: Bearer <token>``. In FastAPI that
check is a dependency: a function the endpoint declares with ``Depends(...)``, which FastAPI
runs before the endpoint's body; when it raises ``HTTPException``, the body never runs.

``verify(token, secret)`` is done: it returns the user a valid token names, and raises a
``jwt.InvalidTokenError`` for any other token (an expired one raises
``jwt.ExpiredSignatureError``, which is one of them). ``token_events`` is done too: the
``token`` events of exercise 2, then a ``done`` with only the count, ``{"tokens": <how many>}``.
In ``create_app``, write:

1. the JSON path of ``chat``: when ``body.stream`` is false (the default), wait for the whole
   answer and return ``ChatReply(reply=...)``; FastAPI sends it as ``application/json``;
2. that path must not block the event loop: other clients are served while this one waits;
3. the streaming path: when ``body.stream`` is true, return an ``EventSourceResponse`` of
   ``token_events(model, body.message)``;
4. the dependency ``current_user``: a request whose ``Authorization`` header is missing or is
   not ``Bearer <token>`` gets ``HTTPException(401)`` with the header
   ``WWW-Authenticate: Bearer``;
5. in ``current_user``, a token that ``verify`` rejects (malformed, signed with another secret,
   expired) gets the same 401, saying only "Invalid token", never PyJWT's reason; a valid one
   gives the user's name. Then make ``chat`` depend on ``current_user``, so that a refused
   request never reaches the model.

Try it::

    import jwt, time
    from coursekit import FakeStreamingChatModel
    from coursekit.server import BackgroundServer

    secret = "change-me-to-a-long-random-secret-string"
    token = jwt.encode({"sub": "ada", "exp": int(time.time()) + 600}, secret, algorithm="HS256")
    with BackgroundServer(create_app(FakeStreamingChatModel.realistic(), secret)) as url:
        print(url, token)
        # curl -X POST <url>/chat -H 'Content-Type: application/json' -d '{"message": "hi"}'
        # curl -X POST <url>/chat -H "Authorization: Bearer <token>" -H 'Content-Type: application/json' -d '{"message": "hi"}'
        # curl -N -X POST <url>/chat -H "Authorization: Bearer <token>" -H 'Content-Type: application/json' -d '{"message": "hi", "stream": true}'
        input("Press Enter to stop ")

The first curl gets a 401 and the model is not called; the second prints one JSON object
after the whole answer is written; the third prints ``token`` events as they come, then ``done``.

Read this task in your language: ``coursekit task ex05_chat_stream_flag``.
"""

from collections.abc import AsyncIterator
from typing import Annotated

import jwt
from fastapi import FastAPI, Header
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
        # TODO: refuse a missing or non-Bearer header, and a token verify() rejects, with a 401
        # (WWW-Authenticate: Bearer); return the user a valid token names.
        raise NotImplementedError("current_user")

    @app.post("/chat", response_model=None)
    async def chat(body: ChatRequest) -> ChatReply | EventSourceResponse:
        # TODO: depend on current_user; stream token_events when body.stream, else one ChatReply.
        raise NotImplementedError("POST /chat")

    return app

"""Exercise 5: one ``/chat`` endpoint that streams only when asked.

Not every client can read a stream: a shell script, a webhook or a test wants one JSON body.
A common API shape is a single endpoint with a flag: ``{"message": "...", "stream": true}``
gets Server-Sent Events, and without the flag the same endpoint answers once, in JSON. The
response class is chosen per request, inside the endpoint.

``ChatRequest``, ``ChatReply`` and ``token_events`` (from exercise 2) are done. Write the body
of the ``chat`` endpoint in ``create_app``:

1. when ``body.stream`` is false (the default), wait for the whole answer with
   ``await model.ainvoke(body.message)`` and return ``ChatReply(reply=answer.text)``: FastAPI
   sends it as ``application/json``;
2. that path must not block the event loop either: ``await model.ainvoke(...)``, never
   ``model.invoke(...)``, so other clients are served while this one waits;
3. when ``body.stream`` is true, return ``EventSourceResponse(token_events(model,
   body.message))``: token events as the model writes them, then ``done``.

Try it::

    from coursekit import FakeStreamingChatModel
    from coursekit.server import BackgroundServer

    with BackgroundServer(create_app(FakeStreamingChatModel.realistic())) as url:
        print(url)
        # curl -X POST <url>/chat -H 'Content-Type: application/json' -d '{"message": "hi"}'
        # curl -N -X POST <url>/chat -H 'Content-Type: application/json' -d '{"message": "hi", "stream": true}'
        input("Press Enter to stop ")

The first curl prints one JSON object, ``{"reply":"Here is a short answer. ..."}``, after the
whole answer is written; the second prints ``token`` events as they come, then ``done``.

Read this task in your language: ``coursekit task ex05_chat_stream_flag``.
"""
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
    """A ``token`` event per non-empty chunk (ids 1, 2, ...), then one ``done`` event."""
    tokens = 0
    async for chunk in model.astream(message):
        if chunk.text:
            tokens += 1
            yield JSONServerSentEvent({"text": chunk.text}, event="token", id=str(tokens))
    yield JSONServerSentEvent({"tokens": tokens}, event="done")


def create_app(model: BaseChatModel) -> FastAPI:
    """``POST /chat``: JSON by default, Server-Sent Events with ``"stream": true``."""
    app = FastAPI()

    @app.post("/chat", response_model=None)
    async def chat(body: ChatRequest) -> ChatReply | EventSourceResponse:
        # TODO: if body.stream, return an EventSourceResponse of token_events(model, body.message);
        # otherwise answer = await model.ainvoke(body.message) and return ChatReply(reply=answer.text).
        raise NotImplementedError("POST /chat")

    return app

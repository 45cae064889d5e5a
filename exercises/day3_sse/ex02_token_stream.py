"""Exercise 2: an endpoint that streams a model's tokens as Server-Sent Events.

A FastAPI endpoint streams by returning a response built from an *async generator*: the
server sends whatever the generator yields, as soon as it yields it. sse-starlette's
``EventSourceResponse`` does the SSE part (the ``text/event-stream`` header and the frames),
so the generator only has to produce events. This is the heart of every chat backend.

Write the async generator ``token_events(model, prompt)`` and the endpoint in ``create_app``:

1. ``GET /stream?prompt=...`` returns ``EventSourceResponse(token_events(model, prompt))``,
   and the text of its token events, joined, is the model's answer to ``prompt``;
2. every non-empty chunk of ``model.astream(prompt)`` becomes one ``token`` event whose data
   is the JSON ``{"text": chunk.text}`` and whose ids count up from ``"1"``:
   ``JSONServerSentEvent({"text": chunk.text}, event="token", id=str(number))``. Providers
   open and close the stream with empty chunks, which are skipped and not counted; a chunk
   holding only a space or a line break is text like any other;
3. after the last token comes one ``done`` event with the JSON ``{"tokens": <how many>}``, so
   the client knows the answer is complete and not cut short;
4. each event leaves when its chunk arrives: yield inside the loop, never collect first;
5. the generator must not block the server's event loop: use ``async for ... in
   model.astream(...)``. ``model.stream()`` inside ``async def`` would freeze every other
   client until this answer is finished.

Try it in a notebook or a script::

    from coursekit import FakeStreamingChatModel
    from coursekit.server import BackgroundServer

    with BackgroundServer(create_app(FakeStreamingChatModel.realistic())) as url:
        print(url)  # then: curl -N "<url>/stream?prompt=hi"
        input("Press Enter to stop ")

curl prints ``id: 1``, ``event: token``, ``data: {"text":"Here"}`` and then one such block per
token, as the model writes them, and finally ``event: done`` with ``data: {"tokens":...}``.

Read this task in your language: ``coursekit task ex02_token_stream``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
from sse_starlette import EventSourceResponse, JSONServerSentEvent


async def token_events(model: BaseChatModel, prompt: str) -> AsyncIterator[JSONServerSentEvent]:
    """A ``token`` event per non-empty chunk (ids 1, 2, ...), then one ``done`` event."""
    # TODO: count the tokens; for each chunk of model.astream(prompt) with text, yield
    # JSONServerSentEvent({"text": chunk.text}, event="token", id=str(count)). After the loop,
    # yield JSONServerSentEvent({"tokens": count}, event="done").
    raise NotImplementedError("token_events")
    yield  # a `yield` anywhere makes this function an async generator


def create_app(model: BaseChatModel) -> FastAPI:
    """``GET /stream?prompt=...`` streams the model's answer."""
    app = FastAPI()

    @app.get("/stream")
    async def stream(prompt: str) -> EventSourceResponse:
        # TODO: return an EventSourceResponse built from token_events(model, prompt).
        raise NotImplementedError("GET /stream")

    return app

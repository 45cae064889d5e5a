"""Exercise 2: stream a model's tokens as Server-Sent Events, then say how the answer ended.

The guide's ``/api/generate`` ends its stream with ``done`` and a token count. That tells the
client the answer is over, but not *why*: did the model finish, or did it hit its token limit
halfway through a sentence? And what did the answer cost? The reference server's ``done``
says both, and so will yours: ``{"tokens": 12, "finish_reason": "stop", "usage": {...}}``.

The catch, which you met on day 1: the finish reason and the usage travel on chunks with *no
text*, and which of those chunks carries them depends on the provider. ChatOpenAI sends the
finish reason on one empty chunk, the usage on the next, then an empty last chunk with
neither; ChatMaritaca sends no usage while streaming. Only the sum of all the chunks
(``first + second + ...``) holds them whatever the provider. Here you cannot collect the
chunks first and add them up at the end: the tokens must leave as they arrive.

Write the async generator ``token_events(model, prompt)`` and the endpoint in ``create_app``:

1. ``GET /stream?prompt=...`` returns ``EventSourceResponse(token_events(model, prompt))``,
   which sends exactly one ``token`` event per chunk of ``model.astream(prompt)`` with text,
   with the JSON ``{"text": chunk.text}`` and ids counting up from ``"1"``, then one ``done``
   event, and nothing else. Chunks with empty text are not sent and not counted; a chunk of
   only a space or a line break is text like any other;
2. ``done`` carries ``{"tokens": <token events sent>, "finish_reason": ..., "usage": ...}``,
   read from the sum of every chunk, the empty ones included: ``response_metadata``'s
   ``"finish_reason"`` and ``usage_metadata``; a provider that sends no usage gets ``null``;
3. an answer cut short by the model's token limit says ``"length"``: read the reason from the
   stream, never assume ``"stop"``, so the client can tell the reader the answer is incomplete;
4. each token event leaves when its chunk arrives: keep the sum *while* you stream, inside
   the same loop; don't collect first;
5. the event loop stays free (``async for`` over ``model.astream(...)``), and each request calls
   the model once: no second call to get the metadata;
6. ``done`` promises a complete answer: when the model fails halfway, no ``done`` is sent
   (exercise 3 turns that failure into an ``error`` event); and when the client leaves, the
   model stops with the generator, so read it in the generator itself, not in a task of its own.

Try it in a notebook or a script::

    from coursekit import FakeStreamingChatModel
    from coursekit.server import BackgroundServer

    model = FakeStreamingChatModel.realistic(max_tokens=5)
    with BackgroundServer(create_app(model)) as url:
        print(url)  # then: curl -N "<url>/stream?prompt=hi"
        input("Press Enter to stop ")

curl prints five ``token`` events as the model writes them, then ``event: done`` with
``data: {"tokens":5,"finish_reason":"length","usage":{...}}``: the model was cut off, and the
client knows. Without ``max_tokens`` the reason is ``"stop"``.

Read this task in your language: ``coursekit task ex02_token_stream``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
from sse_starlette import EventSourceResponse, JSONServerSentEvent


async def token_events(model: BaseChatModel, prompt: str) -> AsyncIterator[JSONServerSentEvent]:
    """A ``token`` event per non-empty chunk (ids 1, 2, ...), then ``done`` with the count, the finish reason and the usage."""
    # TODO: for every chunk of model.astream(prompt), add it to a running sum (the first chunk
    # starts it); when the chunk has text, count it and yield its token event at once. After
    # the loop, yield the done event, with the finish reason and the usage read from the sum.
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

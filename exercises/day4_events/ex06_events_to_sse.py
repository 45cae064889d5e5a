"""Exercise 6: forward a chain's events to the browser as SSE: steps, tokens, done, and errors.

A page that shows "searching... writing..." beside the answer needs more than the tokens: it
needs the steps. Your endpoint turns ``astream_events`` into four kinds of named Server-Sent
Events, with the tools of day 3 (sse-starlette's ``JSONServerSentEvent``, whose data is JSON):

- ``step``, for every ``on_<type>_start`` and ``on_<type>_end`` event of a run *inside* the
  chain, with the data ``{"id": run_id, "parent": the last of its parent_ids, "name": ...,
  "type": ..., "status": "start" or "end"}``. ``type`` and ``status`` come from the event's
  name: ``"on_chat_model_start"`` is type ``"chat_model"``, status ``"start"``. The chain's own
  run (the one with no ``parent_ids``) is the whole request, not a step: leave it out;
- ``token``, ``{"text": ...}``, for each non-empty chunk of an ``on_chat_model_stream`` event;
- ``done``, ``{"tokens": <token events sent>}``, once the chain has finished;
- ``error``, ``{"message": ERROR_MESSAGE, "tokens": <token events sent>}``, when the chain fails.

``create_app`` is done. Write the async generator ``step_events(chain, inputs)``:

1. run ``chain.astream_events(inputs, version="v2")`` once and yield the ``step`` and ``token``
   events the moment their events arrive, then ``done``. The other stream events (the parser's,
   the chain's) are not sent;
2. a failure emits no event of its own: the exception is raised by the ``async for`` itself.
   Catch it around the loop (``except Exception``), log it with ``logger.exception(...)``,
   yield the ``error`` event and stop: no ``done`` after an error, and never the exception's
   own text to the client. Catch ``Exception``, not ``BaseException``: a client that leaves
   cancels the generator with ``asyncio.CancelledError``, which must go on so the chain stops.

Try it::

    from langchain_core.output_parsers import StrOutputParser
    from langchain_core.prompts import ChatPromptTemplate
    from coursekit import FakeStreamingChatModel
    from coursekit.server import BackgroundServer

    model = FakeStreamingChatModel.realistic(error_after=5)
    chain = ChatPromptTemplate.from_template("Answer: {question}") | model | StrOutputParser()
    with BackgroundServer(create_app(chain)) as url:
        print(url)  # then: curl -N "<url>/ask?question=why"
        input("Press Enter to stop ")

curl shows ``step`` events for the prompt, the model and the parser, five ``token`` events, an
``error`` event, and ends normally; the traceback is in the server's log.

Read this task in your language: ``coursekit task ex06_events_to_sse``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI
from langchain_core.runnables import Runnable
from sse_starlette import EventSourceResponse, JSONServerSentEvent

ERROR_MESSAGE = "The answer was interrupted. Please try again."
"""What the client is told: the details of the failure stay in the server's log."""

logger = logging.getLogger(__name__)


async def step_events(chain: Runnable, inputs: Any) -> AsyncIterator[JSONServerSentEvent]:
    """``step`` and ``token`` events as the chain runs, then ``done``; or ``error`` if it fails."""
    # TODO: inside try: async for event in chain.astream_events(inputs, version="v2"): a model
    # chunk with text -> a "token" event; an "..._start"/"..._end" event with parent_ids -> a
    # "step" event. except Exception: logger.exception(...), yield "error", return. Then "done".
    raise NotImplementedError("step_events")
    yield  # a `yield` anywhere makes this function an async generator


def create_app(chain: Runnable) -> FastAPI:
    """``GET /ask?question=...`` streams the chain's steps and answer."""
    app = FastAPI()

    @app.get("/ask")
    async def ask(question: str) -> EventSourceResponse:
        return EventSourceResponse(step_events(chain, question))

    return app

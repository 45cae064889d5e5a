"""``POST /api/steps``: the answer of ``prompt | model | parser`` with every step of the chain, for the page's steps view.

The contract of day 4's ``events_endpoint.py`` snippet, with the server's login, error JSON,
stream count and disconnect handling. ``astream_events()`` becomes named SSE events::

    event: step
    data: {"id":"<run id>","parent":"<parent's run id>","name":"ChatPromptTemplate","type":"prompt","status":"start"}

    id: 1
    event: token
    data: {"text":"Hello"}

    event: done
    data: {"tokens":12,"finish_reason":"stop","usage":{...}}

Each step starts, then ends; ``error`` takes the place of ``done`` when the model fails mid-stream.
As on ``/api/generate``, a model that fails before its first token gets a real 429 or 502: the
steps before that token are held back until it arrives.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import aclosing
from typing import Any

from fastapi import APIRouter, Request
from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable
from sse_starlette import EventSourceResponse, JSONServerSentEvent

from coursekit.i18n import t
from coursekit.server.errors import error_body
from coursekit.server.language import request_language
from coursekit.server.responses import DONE_DATA, ERROR_DATA, PROTECTED, TOKEN_DATA, sse_event
from coursekit.server.routes import CurrentUser
from coursekit.server.schemas import GenerateRequest
from coursekit.server.streaming import SEND_TIMEOUT_SECONDS, SSE_HEADERS, StreamTracker, token_frame, upstream_error

logger = logging.getLogger("coursekit.server")
router = APIRouter()

Event = dict[str, Any]

_STEP_DATA = {
    "type": "object",
    "required": ["id", "parent", "name", "type", "status"],
    "properties": {
        "id": {"type": "string", "description": "The step's run_id: its end has the same one."},
        "parent": {"type": "string", "description": "The run_id of the step it runs in (the chain's own for a top-level step)."},
        "name": {"type": "string", "examples": ["ChatPromptTemplate", "FakeStreamingChatModel", "StrOutputParser"]},
        "type": {"type": "string", "examples": ["prompt", "chat_model", "parser", "chain"]},
        "status": {"enum": ["start", "end"]},
    },
}
_STEPS_STREAM = {
    "schema": {"oneOf": [sse_event("step", _STEP_DATA), sse_event("token", TOKEN_DATA, numbered=True), sse_event("done", DONE_DATA),
                         sse_event("error", ERROR_DATA)]},
    "example": 'event: step\r\ndata: {"id":"1f0c…","parent":"9a3e…","name":"ChatPromptTemplate","type":"prompt","status":"start"}\r\n\r\n',
}
_STEPS_OK = {200: {"description": "Server-Sent Events: step and token..., then done or error", "content": {"text/event-stream": _STEPS_STREAM}}}


def build_chain(model: BaseChatModel) -> Runnable:
    """The chain the steps view shows: three steps, of which only the model writes tokens."""
    prompt = ChatPromptTemplate.from_messages([("system", "Answer the student's question in a few sentences."), ("human", "{prompt}")])
    return prompt | model | StrOutputParser()


def step(event: Event) -> dict[str, str]:
    """``on_<type>_<start|end>`` of one run, with the ids a page needs to draw the steps as a tree."""
    run_type, _, status = event["event"].removeprefix("on_").rpartition("_")
    return {"id": event["run_id"], "parent": event["parent_ids"][-1], "name": event["name"], "type": run_type, "status": status}


def _token_text(event: Event) -> str:
    return event["data"]["chunk"].text if event["event"] == "on_chat_model_stream" else ""


def _is_step(event: Event) -> bool:
    """A step's start or end; the chain itself (no parents) is left out: done and error say when it ends."""
    return bool(event["parent_ids"]) and event["event"].endswith(("_start", "_end"))


async def _resume(head: list[Event], rest: AsyncIterator[Event]) -> AsyncIterator[Event]:
    """The events already read, then the rest; closing this closes ``rest``, which cancels the chain."""
    async with aclosing(rest):  # type: ignore[type-var]
        for event in head:
            yield event
        async for event in rest:
            yield event


async def start_events(chain: Runnable, prompt: str) -> AsyncIterator[Event]:
    """Run the chain and read its events up to the model's first token, before any byte of the response.

    A failure on the way becomes a 429 or 502 :class:`~coursekit.server.errors.ApiError`, as on ``/api/generate``.
    """
    events = aiter(chain.astream_events({"prompt": prompt}, version="v2"))
    head: list[Event] = []
    try:
        async for event in events:  # leaving with break does not close the iterator
            head.append(event)
            if _token_text(event):
                break
    except Exception as error:  # the iterator is finished by its own exception: nothing to close
        raise upstream_error(error) from error
    return _resume(head, events)


async def step_events(events: AsyncIterator[Event], tracker: StreamTracker, lang: str) -> AsyncIterator[JSONServerSentEvent | bytes]:
    """Step and token events, then ``done``; or ``error`` if the model fails mid-stream.

    A client that disconnects makes sse-starlette cancel this generator; ``aclosing`` then
    closes the events, which cancels the chain's task and the model's call.
    """
    with tracker.track():
        async with aclosing(events):  # type: ignore[type-var]
            tokens = 0
            finish_reason: Any = None
            usage: Any = None
            try:
                async for event in events:
                    if text := _token_text(event):
                        tokens += 1
                        yield token_frame(text, tokens)
                    elif _is_step(event):
                        if event["event"] == "on_chat_model_end":
                            reply = event["data"]["output"]
                            finish_reason = reply.response_metadata.get("finish_reason")
                            usage = getattr(reply, "usage_metadata", None)
                        yield JSONServerSentEvent(step(event), event="step")
            except Exception as error:  # the chain failed; the connection itself is fine
                logger.warning("chain failed after %d tokens", tokens, exc_info=error)
                message = t("server.stream_interrupted", lang)
                yield JSONServerSentEvent(error_body("stream_interrupted", message, tokens=tokens), event="error")
                return
            yield JSONServerSentEvent({"tokens": tokens, "finish_reason": finish_reason, "usage": usage}, event="done")


@router.post("/api/steps", responses={**_STEPS_OK, **PROTECTED})
async def steps(body: GenerateRequest, request: Request, user: CurrentUser) -> EventSourceResponse:
    """Stream the answer to ``prompt`` from the chain ``prompt | model | parser``, with a ``step`` event as each step starts and ends."""
    events = await start_events(build_chain(request.app.state.model), body.prompt)
    return EventSourceResponse(
        step_events(events, request.app.state.streams, request_language(request)), headers=SSE_HEADERS, send_timeout=SEND_TIMEOUT_SECONDS
    )

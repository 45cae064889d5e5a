"""``POST /api/route``: the routed chat. A classifier picks the question's route, then that route answers, token by token.

Day 6's smart router as a service. The classifier is ``model.with_structured_output(Route)``,
whose ``category`` is a ``Literal`` of the three routes; the route's chain is the same model with
that route's system prompt (:data:`ROUTE_PROMPTS`). The route goes out the moment it is known,
before the answer's first token, so a page can show it as a badge while the answer is written::

    event: route
    data: {"category":"math","fallback":false,"reason":null}

    id: 1
    event: token
    data: {"text":"25"}

    event: done
    data: {"tokens":12,"finish_reason":"stop","usage":{...}}

When the classifier fails (an error, a label that is not one of the three, no answer at all) or
takes longer than ``ServerSettings.route_timeout_seconds``, the general route answers and the
``route`` event says ``"fallback": true`` with the ``reason`` (``error``, ``invalid_label``,
``timeout``): a router that guesses must say so. The classifier's JSON is never a token: only the
answer's stream becomes ``token`` events.

Unlike ``/api/generate``, the response has begun once the route is sent, so an answer that fails
before its first token is an ``error`` event carrying the code the other routes answer as a status
(``rate_limited``, ``upstream_failed``); after it, ``stream_interrupted``, with ``tokens`` sent.

Both model calls run inside the response's generator: a client that disconnects (or a page's stop
button, which aborts the fetch) makes sse-starlette cancel it, which cancels the classifier if it
is still choosing, and the answer's stream if it has begun; an answer is never started for a
client that has left.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import aclosing
from dataclasses import dataclass
from typing import Any, Literal, get_args

from fastapi import APIRouter, Request
from langchain_core.exceptions import OutputParserException
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable
from pydantic import BaseModel, Field, ValidationError
from sse_starlette import EventSourceResponse, JSONServerSentEvent

from coursekit.i18n import t
from coursekit.server.errors import error_body
from coursekit.server.language import request_language
from coursekit.server.responses import DONE_DATA, PROTECTED, TOKEN_DATA, sse_event
from coursekit.server.routes import CurrentUser
from coursekit.server.schemas import GenerateRequest
from coursekit.server.streaming import SEND_TIMEOUT_SECONDS, SSE_HEADERS, StreamTracker, token_frame, upstream_error

logger = logging.getLogger("coursekit.server")
router = APIRouter()

Category = Literal["math", "code", "general"]
CATEGORIES: tuple[str, ...] = get_args(Category)
#: The route that answers when the classifier cannot say.
FALLBACK_CATEGORY: Category = "general"
FallbackReason = Literal["error", "invalid_label", "timeout"]


class Route(BaseModel):
    """The route a student's question takes."""

    category: Category = Field(
        description="math: arithmetic, sums and calculations; code: programming, functions and bugs; general: anything else"
    )


CLASSIFIER_PROMPT = ChatPromptTemplate.from_messages([
    ("system", "Classify the student's question into exactly one category: math, code or general."),
    ("human", "{question}"),
])
#: Each route's system prompt: the same model, told how to answer that kind of question.
ROUTE_PROMPTS: dict[str, str] = {
    "math": "You are a patient math tutor. Work the answer out step by step, one operation per line, then give the result.",
    "code": "You are a senior Python developer. Explain briefly, then give the code in one fenced code block.",
    "general": "You are a friendly teacher. Answer in a few clear sentences of prose.",
}


@dataclass(frozen=True)
class Routed:
    """What the classifier decided, or the fallback and why: the ``route`` event's data."""

    category: Category
    fallback: bool = False
    reason: FallbackReason | None = None

    def event(self) -> dict[str, Any]:
        return {"category": self.category, "fallback": self.fallback, "reason": self.reason}


def build_classifier(model: BaseChatModel) -> Runnable:
    """The classifier: the prompt, then the model's structured output, an instance of :class:`Route`.

    Named and tagged, so traces and ``astream_events`` filters can tell it from the answer.
    """
    return (CLASSIFIER_PROMPT | model.with_structured_output(Route)).with_config(run_name="classify", tags=["classifier"])


def answer_messages(category: str, question: str) -> list[BaseMessage]:
    """What the route's chain sends the model: its system prompt, then the question."""
    return [SystemMessage(ROUTE_PROMPTS[category]), HumanMessage(question)]


async def classify(model: BaseChatModel, question: str, timeout: float) -> Routed:
    """The question's route, or the general route with ``fallback`` when the classifier fails or is late.

    The timeout cancels the classifier's call. A cancellation from outside (the client left) is
    not a failure: it goes on up, and nothing answers.
    """
    reason: FallbackReason
    try:
        async with asyncio.timeout(timeout):
            route = await build_classifier(model).ainvoke({"question": question})
    except TimeoutError:
        reason = "timeout"
    except (ValidationError, OutputParserException):
        reason = "invalid_label"
    except Exception as error:  # rate limits, network errors, a model without structured output
        logger.warning("the classifier failed: the general route answers", exc_info=error)
        reason = "error"
    else:
        if isinstance(route, Route):
            return Routed(route.category)
        reason = "invalid_label"  # no tool call, or an object of another shape
    logger.info("classifier %s: the general route answers", reason)
    return Routed(FALLBACK_CATEGORY, fallback=True, reason=reason)


def error_event(error: Exception, tokens: int, lang: str) -> JSONServerSentEvent:
    """The answer failed: before its first token with the code of the status other routes answer, after it mid-stream."""
    if tokens:
        logger.warning("routed answer failed after %d tokens", tokens, exc_info=error)
        return JSONServerSentEvent(error_body("stream_interrupted", t("server.stream_interrupted", lang), tokens=tokens), event="error")
    failure = upstream_error(error)  # logs it
    return JSONServerSentEvent(error_body(failure.code, t(f"server.{failure.code}", lang, **failure.values), tokens=0), event="error")


async def route_events(
    classifier: BaseChatModel, model: BaseChatModel, question: str, tracker: StreamTracker, lang: str, timeout: float
) -> AsyncIterator[JSONServerSentEvent | bytes]:
    """``route``, then the routed answer's ``token`` events, then ``done``; or ``error`` in place of ``done``.

    A client that disconnects makes sse-starlette cancel this generator: awaiting the classifier,
    that cancels its call; in the answer, ``aclosing`` closes the model's stream.
    """
    with tracker.track():
        routed = await classify(classifier, question, timeout)
        yield JSONServerSentEvent(routed.event(), event="route")
        config = {"run_name": f"answer_{routed.category}", "tags": ["answer", f"route:{routed.category}"]}
        upstream = aiter(model.astream(answer_messages(routed.category, question), config=config))
        async with aclosing(upstream):  # type: ignore[type-var]
            tokens = 0
            finish_reason: Any = None
            usage: Any = None
            try:
                async for chunk in upstream:
                    finish_reason = chunk.response_metadata.get("finish_reason", finish_reason)
                    usage = getattr(chunk, "usage_metadata", None) or usage
                    if text := chunk.text:
                        tokens += 1
                        yield token_frame(text, tokens)
            except Exception as error:  # the model failed; the connection itself is fine
                yield error_event(error, tokens, lang)
                return
            yield JSONServerSentEvent({"tokens": tokens, "finish_reason": finish_reason, "usage": usage}, event="done")


# --- OpenAPI ---------------------------------------------------------------------------------

ROUTE_DATA = {
    "type": "object",
    "required": ["category", "fallback", "reason"],
    "properties": {
        "category": {"enum": list(CATEGORIES), "description": "The route that answers."},
        "fallback": {"type": "boolean", "description": "True when the classifier could not say, and the general route answers."},
        "reason": {"enum": [*get_args(FallbackReason), None], "description": "Why the fallback: null when the classifier chose."},
    },
}
ROUTE_ERROR_DATA = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "required": ["code", "message", "tokens"],
        "properties": {
            "code": {"enum": ["rate_limited", "upstream_failed", "stream_interrupted"],
                     "description": "rate_limited and upstream_failed: before the first token; stream_interrupted: after it."},
            "message": {"type": "string"},
            "tokens": {"type": "integer", "minimum": 0, "description": "How many token events came before."},
        },
    }},
}
_ROUTE_STREAM = {
    "schema": {"oneOf": [sse_event("route", ROUTE_DATA), sse_event("token", TOKEN_DATA, numbered=True), sse_event("done", DONE_DATA),
                         sse_event("error", ROUTE_ERROR_DATA)]},
    "example": 'event: route\r\ndata: {"category":"math","fallback":false,"reason":null}\r\n\r\n',
}
ROUTE_OK = {200: {"description": "Server-Sent Events: route, token..., then done or error", "content": {"text/event-stream": _ROUTE_STREAM}}}
#: The model's failures are events here, never a status: the response has begun when the route is sent.
ROUTE_PROTECTED = {status: answer for status, answer in PROTECTED.items() if status not in (429, 502)}


@router.post("/api/route", responses={**ROUTE_OK, **ROUTE_PROTECTED})
async def route(body: GenerateRequest, request: Request, user: CurrentUser) -> EventSourceResponse:
    """Classify ``prompt`` as math, code or general, send that ``route``, then stream the routed answer as ``token`` events."""
    state = request.app.state
    events = route_events(
        state.classifier, state.model, body.prompt, state.streams, request_language(request), state.settings.route_timeout_seconds
    )
    return EventSourceResponse(events, headers=SSE_HEADERS, send_timeout=SEND_TIMEOUT_SECONDS)


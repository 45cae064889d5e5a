"""Exercise 5: keep the page informed while classifying, and stop both calls when the client leaves.

A classifier may take seconds, and a silent connection looks dead to a user and to some proxies.
So while the question is being classified, send a ``status`` event, ``{"stage": "classifying"}``,
every ``STATUS_SECONDS``, then the ``route``, the ``token`` events and ``done`` as before.

To wait and talk at the same time, the classification must run as a task of its own
(``asyncio.ensure_future``), and the generator waits for it a slice at a time with
``asyncio.wait({task}, timeout=STATUS_SECONDS)``, which returns when the time is up *without*
cancelling the task. That task is now yours to stop: the user who closes the tab leaves while
the classifier is still working, or in the middle of the answer, and nothing may keep running
after that, neither the classifier nor the answer model. A client that leaves reaches your
generator in one of two ways, and both must stop everything:

- sse-starlette cancels it while it waits: ``asyncio.CancelledError`` at an ``await``;
- or it is closed at a ``yield``: ``GeneratorExit``.

A ``try``/``finally`` that cancels the classification task covers both; the answer, streamed in
the generator itself, stops with it. Never catch ``BaseException`` (or ``CancelledError``): the
cancellation must go on.

``classify_question`` is the one of exercise 4. Write the async generator ``route_events``.

Try it::

    from coursekit import FakeStreamingChatModel
    from coursekit.server import BackgroundServer

    slow = FakeStreamingChatModel(time_to_first_token=1.5)
    with BackgroundServer(create_app(slow, FakeStreamingChatModel.realistic())) as url:
        print(url)  # then: curl -N "<url>/ask?question=What+is+25+*+17%3F", and Ctrl-C in the middle
        input("Press Enter to stop ")

curl shows three ``status`` events, then the route and the answer.

Read this task in your language: ``coursekit task ex05_disconnect_cancels``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Literal

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser  # noqa: F401  (for you to use)
from langchain_core.prompts import ChatPromptTemplate
from pydantic import BaseModel, Field
from sse_starlette import EventSourceResponse, JSONServerSentEvent

PROMPTS = {
    "math": ChatPromptTemplate.from_template("You are a mathematician. Solve it step by step.\nProblem: {input}"),
    "code": ChatPromptTemplate.from_template("You are a senior programmer. Write clean code with comments.\nRequest: {input}"),
    "general": ChatPromptTemplate.from_template("You are a helpful assistant. Answer clearly.\nQuestion: {input}"),
}
CLASSIFY_PROMPT = ChatPromptTemplate.from_template("Classify this question: {input}")


FALLBACK_ROUTE = "general"
CLASSIFY_TIMEOUT = 2.0
"""Seconds the classifier may take; past them the question goes to FALLBACK_ROUTE."""
STATUS_SECONDS = 0.5
"""How often a ``status`` event tells the page the question is still being classified."""

logger = logging.getLogger(__name__)


class Route(BaseModel):
    category: Literal["math", "code", "general"] = Field(description="Category of the question")


async def classify_question(classifier: BaseChatModel, question: str) -> tuple[str, bool]:
    """``(route, fallback)``: the classifier's label and False, or FALLBACK_ROUTE and True when it gave none."""
    try:
        async with asyncio.timeout(CLASSIFY_TIMEOUT):  # cancels the call when the time is up
            route = await (CLASSIFY_PROMPT | classifier.with_structured_output(Route)).ainvoke({"input": question})
    except Exception:  # too slow (TimeoutError), the provider failed, or the label did not fit the Literal
        logger.warning("the classifier failed; routing %r to %s", question, FALLBACK_ROUTE, exc_info=True)
        return FALLBACK_ROUTE, True
    if route is None:  # the model answered in words instead of calling the Route tool
        logger.warning("the classifier gave no route; routing %r to %s", question, FALLBACK_ROUTE)
        return FALLBACK_ROUTE, True
    return route.category, False


async def route_events(classifier: BaseChatModel, model: BaseChatModel, question: str) -> AsyncIterator[JSONServerSentEvent]:
    """``status`` while classifying, ``route``, a ``token`` per piece of the answer, ``done``; leaving stops everything."""
    # TODO: classifying = asyncio.ensure_future(classify_question(classifier, question)). In a try:
    # while not classifying.done(): done, _ = await asyncio.wait({classifying}, timeout=STATUS_SECONDS);
    # if nothing is done yet, yield a "status" event {"stage": "classifying"}. Then route, fallback =
    # classifying.result(). finally: classifying.cancel(), so a client that leaves stops the classifier.
    # After that, the route event, the tokens and done, as before.
    raise NotImplementedError("route_events")
    yield  # a `yield` anywhere makes this function an async generator


def create_app(classifier: BaseChatModel, model: BaseChatModel) -> FastAPI:
    """``GET /ask?question=...`` streams the route, then the answer, as Server-Sent Events."""
    app = FastAPI()

    @app.get("/ask")
    async def ask(question: str) -> EventSourceResponse:
        return EventSourceResponse(route_events(classifier, model, question))

    return app

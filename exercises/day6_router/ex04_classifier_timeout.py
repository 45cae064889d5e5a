"""Exercise 4: give the classifier a time budget, and fall back when it runs out.

The classifier is there to save time; a classifier that thinks for ten seconds defeats it. Give
it ``CLASSIFY_TIMEOUT`` seconds: when they run out, stop the call and send the question to the
general route, ``fallback: true``, as in exercise 3. Three things make a timeout right:

- the route event leaves *at* the budget, not when the slow classifier finally answers: measuring
  the time after the call has returned is too late;
- the slow call is *cancelled*, not left running in the background, where it still costs tokens;
- the budget covers the classification only: the answer that follows may take as long as it
  needs, and must not be cut off.

``route_events`` and ``classify_question`` are the ones of exercise 3. Change
``classify_question`` so that the classifier's ``ainvoke`` runs inside
``async with asyncio.timeout(CLASSIFY_TIMEOUT):``, which cancels it and raises ``TimeoutError``
(an ``Exception``) when the time is up; ``asyncio.wait_for`` does the same.

The tests run your code on a virtual clock: a "five-second" classifier costs no real time, and
the time of every event is exact.

Try it::

    import asyncio
    from coursekit import FakeStreamingChatModel

    slow = FakeStreamingChatModel(time_to_first_token=5)
    print(asyncio.run(classify_question(slow, "What is 25 * 17?")))  # ('general', True) after 2 s

Read this task in your language: ``coursekit task ex04_classifier_timeout``.
"""

from __future__ import annotations

import asyncio  # noqa: F401  (for you to use)
import logging
from collections.abc import AsyncIterator
from typing import Literal

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
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

logger = logging.getLogger(__name__)


class Route(BaseModel):
    category: Literal["math", "code", "general"] = Field(description="Category of the question")


async def classify_question(classifier: BaseChatModel, question: str) -> tuple[str, bool]:
    """``(route, fallback)``: the classifier's label and False, or FALLBACK_ROUTE and True when it gave none."""
    # TODO: give the call CLASSIFY_TIMEOUT seconds: async with asyncio.timeout(CLASSIFY_TIMEOUT): around
    # the ainvoke. TimeoutError is an Exception, so the fallback below catches it.
    try:
        route = await (CLASSIFY_PROMPT | classifier.with_structured_output(Route)).ainvoke({"input": question})
    except Exception:  # the provider failed, or the label did not fit the Literal (a ValidationError)
        logger.warning("the classifier failed; routing %r to %s", question, FALLBACK_ROUTE, exc_info=True)
        return FALLBACK_ROUTE, True
    if route is None:  # the model answered in words instead of calling the Route tool
        logger.warning("the classifier gave no route; routing %r to %s", question, FALLBACK_ROUTE)
        return FALLBACK_ROUTE, True
    return route.category, False


async def route_events(classifier: BaseChatModel, model: BaseChatModel, question: str) -> AsyncIterator[JSONServerSentEvent]:
    """``route`` (with ``fallback``) as soon as the route is known, then a ``token`` per piece of the answer, then ``done``."""
    route, fallback = await classify_question(classifier, question)
    yield JSONServerSentEvent({"route": route, "fallback": fallback}, event="route")
    tokens = 0
    async for text in (PROMPTS[route] | model | StrOutputParser()).astream({"input": question}):
        if text:
            tokens += 1
            yield JSONServerSentEvent({"text": text}, event="token")
    yield JSONServerSentEvent({"tokens": tokens}, event="done")


def create_app(classifier: BaseChatModel, model: BaseChatModel) -> FastAPI:
    """``GET /ask?question=...`` streams the route, then the answer, as Server-Sent Events."""
    app = FastAPI()

    @app.get("/ask")
    async def ask(question: str) -> EventSourceResponse:
        return EventSourceResponse(route_events(classifier, model, question))

    return app

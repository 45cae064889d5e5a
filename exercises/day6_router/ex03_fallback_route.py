"""Exercise 3: when the classifier fails, fall back to the general route and say so.

A router must answer every question, even when its classifier lets it down. The classifier of a
real router fails in three ways, and each must end on the general route, which can answer
anything, with ``fallback: true`` in the route event so the page (and your logs) can tell:

- the call raises: a rate limit, a timeout, a connection that breaks mid-answer;
- the label is not one of the ``Literal``'s: "cooking", or "Math" with a capital M. Pydantic
  rejects it while ``with_structured_output`` parses it, so it reaches you as an exception (a
  ``ValidationError``), never as a value you could check;
- the model answers in words instead of calling the ``Route`` tool: ``with_structured_output``
  then returns ``None``, and raises nothing.

A question the classifier itself calls general is no fallback: ``fallback: false``.

``route_events`` is done (it is the one of exercise 2, and sends ``{"route": ..., "fallback":
...}``). Write the coroutine ``classify_question(classifier, question)`` that returns
``(route, fallback)``:

1. ``await (CLASSIFY_PROMPT | classifier.with_structured_output(Route)).ainvoke({"input":
   question})`` and return ``(route.category, False)``;
2. when that raises an ``Exception`` (not ``BaseException``: a cancelled request must stay
   cancelled), or returns ``None``, log a warning and return ``(FALLBACK_ROUTE, True)``.
   ``with_fallbacks`` is another way to catch the exceptions; it does not see a ``None``.

Try it::

    import asyncio
    from coursekit import FakeStreamingChatModel

    liar = FakeStreamingChatModel(rules={"Classify": {"category": "cooking"}})
    print(asyncio.run(classify_question(liar, "How long do I boil an egg?")))  # ('general', True)

Read this task in your language: ``coursekit task ex03_fallback_route``.
"""

from __future__ import annotations

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

logger = logging.getLogger(__name__)


class Route(BaseModel):
    category: Literal["math", "code", "general"] = Field(description="Category of the question")


async def classify_question(classifier: BaseChatModel, question: str) -> tuple[str, bool]:
    """``(route, fallback)``: the classifier's label and False, or FALLBACK_ROUTE and True when it gave none."""
    # TODO: try: route = await (CLASSIFY_PROMPT | classifier.with_structured_output(Route)).ainvoke(
    # {"input": question}); except Exception: logger.warning(...) and return FALLBACK_ROUTE, True.
    # A None route (no tool call) is a fallback too. Otherwise return route.category, False.
    raise NotImplementedError("classify_question")


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

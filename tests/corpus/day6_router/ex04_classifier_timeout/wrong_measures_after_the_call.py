"""Times the classifier and falls back when it took longer than the budget: after it has answered.

The stopwatch is right about the time; by the time it is read, the page has waited all of it.
"""

from __future__ import annotations

import asyncio
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
    loop = asyncio.get_running_loop()
    started = loop.time()
    try:
        route = await (CLASSIFY_PROMPT | classifier.with_structured_output(Route)).ainvoke({"input": question})
    except Exception:
        logger.warning("the classifier failed", exc_info=True)
        return FALLBACK_ROUTE, True
    if route is None or loop.time() - started > CLASSIFY_TIMEOUT:
        logger.warning("the classifier gave no route in time; routing %r to %s", question, FALLBACK_ROUTE)
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

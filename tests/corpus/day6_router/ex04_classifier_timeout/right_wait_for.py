"""asyncio.wait_for: the same budget, as a call that cancels what it waits for when the time is up."""

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
    classify = CLASSIFY_PROMPT | classifier.with_structured_output(Route)
    try:
        route = await asyncio.wait_for(classify.ainvoke({"input": question}), CLASSIFY_TIMEOUT)
    except TimeoutError:
        logger.warning("no route within %s s; routing %r to %s", CLASSIFY_TIMEOUT, question, FALLBACK_ROUTE)
        return FALLBACK_ROUTE, True
    except Exception:
        logger.warning("the classifier failed; routing %r to %s", question, FALLBACK_ROUTE, exc_info=True)
        return FALLBACK_ROUTE, True
    if route is None:
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

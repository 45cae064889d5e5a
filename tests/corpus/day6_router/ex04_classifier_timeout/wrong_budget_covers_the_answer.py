"""Puts the whole request under the time budget, the answer included.

"The request may take at most CLASSIFY_TIMEOUT seconds to route": the answer that follows is
cut off when the budget runs out, in the middle of a sentence.
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
    tokens = 0
    try:
        async with asyncio.timeout(CLASSIFY_TIMEOUT):
            try:
                route = await (CLASSIFY_PROMPT | classifier.with_structured_output(Route)).ainvoke({"input": question})
                category, fallback = (route.category, False) if route is not None else (FALLBACK_ROUTE, True)
            except Exception:
                logger.warning("the classifier failed", exc_info=True)
                category, fallback = FALLBACK_ROUTE, True
            yield JSONServerSentEvent({"route": category, "fallback": fallback}, event="route")
            async for text in (PROMPTS[category] | model | StrOutputParser()).astream({"input": question}):
                if text:
                    tokens += 1
                    yield JSONServerSentEvent({"text": text}, event="token")
    except TimeoutError:
        logger.warning("out of time for %r", question)
    yield JSONServerSentEvent({"tokens": tokens}, event="done")


def create_app(classifier: BaseChatModel, model: BaseChatModel) -> FastAPI:
    """``GET /ask?question=...`` streams the route, then the answer, as Server-Sent Events."""
    app = FastAPI()

    @app.get("/ask")
    async def ask(question: str) -> EventSourceResponse:
        return EventSourceResponse(route_events(classifier, model, question))

    return app

"""asyncio.timeout around a shielded task for the status ticks, the model streamed directly, and a finally that cancels the task."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Literal

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
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
    pending = asyncio.create_task(classify_question(classifier, question))
    try:
        while not pending.done():
            try:
                async with asyncio.timeout(STATUS_SECONDS):
                    await asyncio.shield(pending)  # shielded: the timeout only stops my waiting
            except TimeoutError:
                yield JSONServerSentEvent({"stage": "classifying"}, event="status")
        label, used_fallback = pending.result()
    finally:
        pending.cancel()  # no-op when it finished; stops it when the client went away
    yield JSONServerSentEvent({"route": label, "fallback": used_fallback}, event="route")
    sent = 0
    messages = await PROMPTS[label].ainvoke({"input": question})
    async for chunk in model.astream(messages):
        piece = chunk.content if isinstance(chunk.content, str) else ""
        if piece:
            sent += 1
            yield JSONServerSentEvent({"text": piece}, event="token")
    yield JSONServerSentEvent({"tokens": sent}, event="done")


def create_app(classifier: BaseChatModel, model: BaseChatModel) -> FastAPI:
    """``GET /ask?question=...`` streams the route, then the answer, as Server-Sent Events."""
    app = FastAPI()

    @app.get("/ask")
    async def ask(question: str) -> EventSourceResponse:
        return EventSourceResponse(route_events(classifier, model, question))

    return app

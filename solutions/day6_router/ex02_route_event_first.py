"""Exercise 2 (solution): classify, send the route at once, then stream the route's answer.

The route is known as soon as the classifier has answered, seconds before the first token of
the answer: sending it then lets the page show its badge while the answer model is still
thinking. The route's chain is streamed with ``astream`` and only the pieces with text become
``token`` events (a real stream opens and closes with empty chunks).
"""

from __future__ import annotations

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


class Route(BaseModel):
    category: Literal["math", "code", "general"] = Field(description="Category of the question")


async def route_events(classifier: BaseChatModel, model: BaseChatModel, question: str) -> AsyncIterator[JSONServerSentEvent]:
    """``route`` as soon as the question is classified, then a ``token`` per piece of the answer, then ``done``."""
    route = await (CLASSIFY_PROMPT | classifier.with_structured_output(Route)).ainvoke({"input": question})
    yield JSONServerSentEvent({"route": route.category}, event="route")
    tokens = 0
    async for text in (PROMPTS[route.category] | model | StrOutputParser()).astream({"input": question}):
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

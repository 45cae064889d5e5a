"""One run of the whole router with astream_events: the route when the classify step ends, tokens by tag.

The answer chains carry the tag "answer", so the classifier's own chunks never become tokens.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from operator import itemgetter
from typing import Literal

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnableLambda
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
    classify = (CLASSIFY_PROMPT | classifier.with_structured_output(Route)).with_config(run_name="classify")
    answers = {name: (prompt | model | StrOutputParser()).with_config(tags=["answer"]) for name, prompt in PROMPTS.items()}
    router = {"route": classify, "input": itemgetter("input")} | RunnableLambda(lambda data: answers[data["route"].category])
    tokens = 0
    async for event in router.astream_events({"input": question}, version="v2"):
        if event["event"] == "on_chain_end" and event["name"] == "classify":
            yield JSONServerSentEvent({"route": event["data"]["output"].category}, event="route")
        elif event["event"] == "on_chat_model_stream" and "answer" in event["tags"] and event["data"]["chunk"].text:
            tokens += 1
            yield JSONServerSentEvent({"text": event["data"]["chunk"].text}, event="token")
    yield JSONServerSentEvent({"tokens": tokens}, event="done")


def create_app(classifier: BaseChatModel, model: BaseChatModel) -> FastAPI:
    """``GET /ask?question=...`` streams the route, then the answer, as Server-Sent Events."""
    app = FastAPI()

    @app.get("/ask")
    async def ask(question: str) -> EventSourceResponse:
        return EventSourceResponse(route_events(classifier, model, question))

    return app

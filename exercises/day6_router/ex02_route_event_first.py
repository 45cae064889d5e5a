"""Exercise 2: send the route to the page before the first token of the answer.

A router knows where a question goes long before the answer starts: the classifier answers in
a moment, the answer model then takes its time to its first token. A page can show the route as
a badge ("math") the moment it is known, if the server sends it as an event of its own, ahead
of the answer. Here a small, fast model classifies (``classifier``) and another answers
(``model``), as production routers often do.

Your endpoint sends three kinds of named Server-Sent Events (``JSONServerSentEvent``):

- ``route``, ``{"route": "math"}`` (the ``category`` of the classifier's ``Route``), once, as
  soon as the question is classified, before the answer model is even asked;
- ``token``, ``{"text": ...}``, for each piece of the route's answer that has text, the moment
  it arrives (a real stream opens and closes with empty chunks: send no empty token);
- ``done``, ``{"tokens": <token events sent>}``, at the end.

``PROMPTS``, ``Route`` and ``create_app`` are done. Write the async generator
``route_events(classifier, model, question)``:

1. classify once: ``await (CLASSIFY_PROMPT | classifier.with_structured_output(Route)).ainvoke(...)``
   with ``{"input": question}``, and yield the ``route`` event at once;
2. stream ``PROMPTS[category] | model | StrOutputParser()`` with ``astream`` and yield a
   ``token`` event for each non-empty piece, then ``done``.

Try it::

    from coursekit import FakeStreamingChatModel
    from coursekit.server import BackgroundServer

    model = FakeStreamingChatModel.realistic()
    with BackgroundServer(create_app(model, model)) as url:
        print(url)  # then: curl -N "<url>/ask?question=What+is+25+*+17%3F"
        input("Press Enter to stop ")

curl shows ``event: route`` with ``{"route": "math"}`` first, then the tokens, then ``done``.

Read this task in your language: ``coursekit task ex02_route_event_first``.
"""

from __future__ import annotations

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


class Route(BaseModel):
    category: Literal["math", "code", "general"] = Field(description="Category of the question")


async def route_events(classifier: BaseChatModel, model: BaseChatModel, question: str) -> AsyncIterator[JSONServerSentEvent]:
    """``route`` as soon as the question is classified, then a ``token`` per piece of the answer, then ``done``."""
    # TODO: route = await (CLASSIFY_PROMPT | classifier.with_structured_output(Route)).ainvoke({"input": question});
    # yield the "route" event {"route": route.category} at once. Then async for text in
    # (PROMPTS[route.category] | model | StrOutputParser()).astream({"input": question}): for each
    # non-empty text, yield a "token" event {"text": text}. Last, "done" with {"tokens": count}.
    raise NotImplementedError("route_events")
    yield  # a `yield` anywhere makes this function an async generator


def create_app(classifier: BaseChatModel, model: BaseChatModel) -> FastAPI:
    """``GET /ask?question=...`` streams the route, then the answer, as Server-Sent Events."""
    app = FastAPI()

    @app.get("/ask")
    async def ask(question: str) -> EventSourceResponse:
        return EventSourceResponse(route_events(classifier, model, question))

    return app

"""Sends the last partial object as done, with no validation.

The stream ended without an error, so the student takes the answer as good: a misfit city goes
out as done, an answer in prose goes out as done with nothing in it, and the City defaults are
never filled in.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import JsonOutputParser
from langchain_core.prompts import ChatPromptTemplate
from pydantic import BaseModel, Field
from sse_starlette import EventSourceResponse, JSONServerSentEvent

ERROR_MESSAGE = "No valid city came back from the model. Please try again."

PROMPT = ChatPromptTemplate.from_template(
    "Describe the city of {city} as one JSON object with the keys name, country, population (a number), "
    "landmarks (a list of strings) and, if it has one, nickname. Answer with the JSON object only."
)

logger = logging.getLogger(__name__)


class City(BaseModel):
    name: str
    country: str
    population: int = Field(ge=0)
    landmarks: list[str]
    nickname: str | None = None


async def city_events(model: BaseChatModel, city: str) -> AsyncIterator[JSONServerSentEvent]:
    chain = PROMPT | model | JsonOutputParser()
    last = None
    try:
        async for partial in chain.astream({"city": city}):
            last = partial
            yield JSONServerSentEvent(partial, event="partial")
    except Exception:
        logger.exception("the model failed")
        yield JSONServerSentEvent({"message": ERROR_MESSAGE}, event="error")
        return
    yield JSONServerSentEvent(last, event="done")


def create_app(model: BaseChatModel) -> FastAPI:
    app = FastAPI()

    @app.get("/city")
    async def describe(name: str) -> EventSourceResponse:
        return EventSourceResponse(city_events(model, name))

    return app

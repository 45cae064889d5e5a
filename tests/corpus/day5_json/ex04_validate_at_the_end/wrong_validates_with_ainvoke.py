"""Streams the partials, then calls ainvoke to get an answer that raises when it is bad.

ainvoke does raise on prose, so it looks like the check the stream lacks; but it asks the model a
second time, for a second answer that may differ from the one the page just showed.
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
    try:
        async for partial in chain.astream({"city": city}):
            yield JSONServerSentEvent(partial, event="partial")
        answer = City.model_validate(await chain.ainvoke({"city": city}))
    except Exception:
        logger.exception("no valid city")
        yield JSONServerSentEvent({"message": ERROR_MESSAGE}, event="error")
        return
    yield JSONServerSentEvent(answer.model_dump(), event="done")


def create_app(model: BaseChatModel) -> FastAPI:
    app = FastAPI()

    @app.get("/city")
    async def describe(name: str) -> EventSourceResponse:
        return EventSourceResponse(city_events(model, name))

    return app

"""Catches errors around the validation only, not around the stream.

The student expects failures to come from the check at the end; but a model that fails mid-answer
raises from the async for loop itself, outside the try, and the connection breaks.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import JsonOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.utils.json import parse_json_markdown
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
    text = ""
    async for event in chain.astream_events({"city": city}, version="v2"):
        if event["event"] == "on_chat_model_stream":
            text += event["data"]["chunk"].text
        elif event["event"] == "on_parser_stream":
            yield JSONServerSentEvent(event["data"]["chunk"], event="partial")
    try:
        answer = City.model_validate(parse_json_markdown(text, parser=json.loads))
    except ValueError:
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

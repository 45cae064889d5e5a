"""Holds the partials back until the whole answer is checked, then sends them all.

Sending only what will turn out valid sounds safe; but the page then fills in all at once, after
the model has finished, which is what streaming was meant to avoid.
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
    partials = []
    try:
        async for event in chain.astream_events({"city": city}, version="v2"):
            if event["event"] == "on_chat_model_stream":
                text += event["data"]["chunk"].text
            elif event["event"] == "on_parser_stream":
                partials.append(event["data"]["chunk"])
        answer = City.model_validate(parse_json_markdown(text, parser=json.loads))
    except Exception:
        logger.exception("no valid city")
        for partial in partials:
            yield JSONServerSentEvent(partial, event="partial")
        yield JSONServerSentEvent({"message": ERROR_MESSAGE}, event="error")
        return
    for partial in partials:
        yield JSONServerSentEvent(partial, event="partial")
    yield JSONServerSentEvent(answer.model_dump(), event="done")


def create_app(model: BaseChatModel) -> FastAPI:
    app = FastAPI()

    @app.get("/city")
    async def describe(name: str) -> EventSourceResponse:
        return EventSourceResponse(city_events(model, name))

    return app

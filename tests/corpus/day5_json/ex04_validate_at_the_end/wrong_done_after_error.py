"""Sends the error event, then carries on to send done as well.

The except clause reports the problem but does not stop the generator, so the client reads an
error and then a done with no city in it, and cannot tell which one to believe.
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
    answer = None
    try:
        async for event in chain.astream_events({"city": city}, version="v2"):
            if event["event"] == "on_chat_model_stream":
                text += event["data"]["chunk"].text
            elif event["event"] == "on_parser_stream":
                yield JSONServerSentEvent(event["data"]["chunk"], event="partial")
        answer = City.model_validate(parse_json_markdown(text, parser=json.loads)).model_dump()
    except Exception:
        logger.exception("no valid city")
        yield JSONServerSentEvent({"message": ERROR_MESSAGE}, event="error")
    yield JSONServerSentEvent(answer, event="done")


def create_app(model: BaseChatModel) -> FastAPI:
    app = FastAPI()

    @app.get("/city")
    async def describe(name: str) -> EventSourceResponse:
        return EventSourceResponse(city_events(model, name))

    return app

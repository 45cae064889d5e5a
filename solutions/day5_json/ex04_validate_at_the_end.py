"""Exercise 4 (solution): partial objects as they grow, then one check of the whole answer.

``JsonOutputParser`` yields a partial object whenever the text so far parses to something new,
and nothing, without an error, when it does not: an answer wrapped in prose streams no partial
at all, and a cut-off answer is repaired (its open strings and brackets closed), so its last
partial can even fit the schema. The stream cannot tell you the answer was bad; the end can.
One run of the chain with ``astream_events`` gives both what the page shows (the parser's
partials) and what is checked at the end (the model's whole text), which is parsed strictly
(``json.loads``; a ```json fence around it is allowed) and validated with Pydantic.
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
"""What the client is told when the answer cannot be used; the details go to the server's log."""

PROMPT = ChatPromptTemplate.from_template(
    "Describe the city of {city} as one JSON object with the keys name, country, population (a number), "
    "landmarks (a list of strings) and, if it has one, nickname. Answer with the JSON object only."
)

logger = logging.getLogger(__name__)


class City(BaseModel):
    """What the page needs to show a city: the final answer must fit it."""

    name: str
    country: str
    population: int = Field(ge=0)
    landmarks: list[str]
    nickname: str | None = None


async def city_events(model: BaseChatModel, city: str) -> AsyncIterator[JSONServerSentEvent]:
    """``partial`` events while the answer grows, then ``done`` with the validated city, or ``error``."""
    chain = PROMPT | model | JsonOutputParser()
    text = ""
    try:
        async for event in chain.astream_events({"city": city}, version="v2"):
            if event["event"] == "on_chat_model_stream":
                text += event["data"]["chunk"].text
            elif event["event"] == "on_parser_stream":
                yield JSONServerSentEvent(event["data"]["chunk"], event="partial")
        answer = City.model_validate(parse_json_markdown(text, parser=json.loads))
    except Exception:  # invalid JSON, a city that does not fit, or a model that failed
        logger.exception("no valid city for %r; the model wrote %r", city, text[:200])
        yield JSONServerSentEvent({"message": ERROR_MESSAGE}, event="error")
        return
    yield JSONServerSentEvent(answer.model_dump(), event="done")


def create_app(model: BaseChatModel) -> FastAPI:
    """``GET /city?name=...`` streams the city's description as it is written."""
    app = FastAPI()

    @app.get("/city")
    async def describe(name: str) -> EventSourceResponse:
        return EventSourceResponse(city_events(model, name))

    return app

"""Feeds the model's text through JsonOutputParser.atransform, keeping a copy of every piece.

The parser is a transformer over any stream of text: the generator that hands it the model's
chunks also keeps them, and the whole text is checked by model_validate_json once the fence,
if any, is taken off.
"""

from __future__ import annotations

import logging
import re
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
FENCE = re.compile(r"\A\s*```(?:json)?\s*(.*?)\s*```\s*\Z", re.DOTALL)


class City(BaseModel):
    name: str
    country: str
    population: int = Field(ge=0)
    landmarks: list[str]
    nickname: str | None = None


async def city_events(model: BaseChatModel, city: str) -> AsyncIterator[JSONServerSentEvent]:
    pieces: list[str] = []

    async def written() -> AsyncIterator[str]:
        async for chunk in (PROMPT | model).astream({"city": city}):
            pieces.append(chunk.text)
            yield chunk.text

    try:
        async for partial in JsonOutputParser().atransform(written()):
            yield JSONServerSentEvent(partial, event="partial")
        text = "".join(pieces)
        fenced = FENCE.match(text)
        city_found = City.model_validate_json(fenced.group(1) if fenced else text)
    except Exception:
        logger.exception("no valid city in %r", "".join(pieces)[:200])
        yield JSONServerSentEvent({"message": ERROR_MESSAGE}, event="error")
        return
    yield JSONServerSentEvent(city_found.model_dump(), event="done")


def create_app(model: BaseChatModel) -> FastAPI:
    app = FastAPI()

    @app.get("/city")
    async def describe(name: str) -> EventSourceResponse:
        return EventSourceResponse(city_events(model, name))

    return app

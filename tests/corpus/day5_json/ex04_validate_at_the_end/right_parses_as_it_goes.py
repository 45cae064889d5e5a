"""Parses the text so far after each chunk, as JsonOutputParser does inside, and sends dicts as events.

No parser in the chain: parse_json_markdown (which JsonOutputParser uses) reads the partial text
after each chunk and a new result is sent; at the end the same function with json.loads, the
strict parser, reads the whole text, and City validates it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.utils.json import parse_json_markdown
from pydantic import BaseModel, Field
from sse_starlette import EventSourceResponse

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


async def city_events(model: BaseChatModel, city: str) -> AsyncIterator[dict]:
    text = ""
    last = None
    try:
        async for chunk in (PROMPT | model).astream({"city": city}):
            text += chunk.text
            try:
                partial = parse_json_markdown(text.strip())
            except json.JSONDecodeError:
                continue
            if partial is not None and partial != last:
                last = partial
                yield {"event": "partial", "data": json.dumps(partial)}
        checked = City.model_validate(parse_json_markdown(text, parser=json.loads))
    except Exception:
        logger.exception("no valid city")
        yield {"event": "error", "data": json.dumps({"message": ERROR_MESSAGE})}
        return
    yield {"event": "done", "data": checked.model_dump_json()}


def create_app(model: BaseChatModel) -> FastAPI:
    app = FastAPI()

    @app.get("/city")
    async def describe(name: str) -> EventSourceResponse:
        return EventSourceResponse(city_events(model, name))

    return app

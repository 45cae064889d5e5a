"""Exercise 4: stream a city's JSON as it grows, then validate it once the stream has ended.

A page that describes a city can fill its fields while the model writes the JSON, from the
partial objects ``JsonOutputParser`` yields. But streaming hides bad JSON: while it streams,
the parser never raises. Check what it does with the three ways a model gets JSON wrong:

- prose around the object (``Sure! Here is the city: {...}``): it yields *nothing* at all;
- an object cut short (``..."landmarks": ["Sugarloaf", "Copaca``): it yields partials, and the
  last one is *repaired*, its open string and brackets closed, so it may even fit the schema;
- an object of the wrong shape (``"population": "about six million"``): it yields it all.

So the stream cannot tell you the answer was bad; only a check at the end can, on the whole
text the model wrote, with Pydantic. Your endpoint sends three kinds of named Server-Sent
Events (sse-starlette's ``JSONServerSentEvent``, whose data goes out as JSON):

- ``partial``, with the partial object as its data, each time the parser yields one;
- ``done``, with the validated city, ``City.model_validate(...).model_dump()`` (its defaults
  filled in), once the stream has ended and the answer is a valid ``City``;
- ``error``, ``{"message": ERROR_MESSAGE}``, instead of ``done`` when it is not, or when the
  model fails: never both, and never a broken connection.

``City``, ``PROMPT`` and ``create_app`` are done. Write the async generator ``city_events(model, city)``:

1. run ``PROMPT | model | JsonOutputParser()`` once, with ``astream_events({"city": city},
   version="v2")``: yield a ``partial`` event for each ``on_parser_stream`` event (its
   ``event["data"]["chunk"]``) the moment it arrives, and add the text of each
   ``on_chat_model_stream`` chunk to the whole answer;
2. once the loop has ended, parse the whole text strictly and validate it:
   ``City.model_validate(parse_json_markdown(text, parser=json.loads))``. ``json.loads`` accepts
   no prose and no cut-off object, and ``parse_json_markdown`` takes the object out of a
   ```json fence, as models often write it. Not the last partial: it may have been repaired;
3. put the loop and the check in one ``try``: on ``Exception`` (a ``ValueError`` from the JSON or
   the validation, or the model's own failure) log it, yield the ``error`` event and return;
   otherwise yield ``done``.

Try it::

    from coursekit import FakeStreamingChatModel
    from coursekit.server import BackgroundServer

    model = FakeStreamingChatModel.realistic(responses=['Sure! {"name": "Rio"}', '{"name": "Rio", "country": "Br'])
    with BackgroundServer(create_app(model)) as url:
        print(url)  # then: curl -N "<url>/city?name=Rio", twice
        input("Press Enter to stop ")

The first answer, wrapped in prose, sends only an ``error`` event; the second sends partial
objects, then an ``error``: it was cut short, and it has no population or landmarks anyway.

Read this task in your language: ``coursekit task ex04_validate_at_the_end``.
"""

from __future__ import annotations

import json  # noqa: F401  (for you to use)
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import JsonOutputParser  # noqa: F401  (for you to use)
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.utils.json import parse_json_markdown  # noqa: F401  (for you to use)
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
    # TODO: text = ""; try: async for event in (PROMPT | model | JsonOutputParser()).astream_events(
    # {"city": city}, version="v2"): "on_parser_stream" -> yield a "partial" event with
    # event["data"]["chunk"]; "on_chat_model_stream" -> text += event["data"]["chunk"].text. Then
    # answer = City.model_validate(parse_json_markdown(text, parser=json.loads)). except Exception:
    # logger.exception(...), yield "error", return. Finally yield "done" with answer.model_dump().
    raise NotImplementedError("city_events")
    yield  # a `yield` anywhere makes this function an async generator


def create_app(model: BaseChatModel) -> FastAPI:
    """``GET /city?name=...`` streams the city's description as it is written."""
    app = FastAPI()

    @app.get("/city")
    async def describe(name: str) -> EventSourceResponse:
        return EventSourceResponse(city_events(model, name))

    return app

"""An endpoint that sends JsonOutputParser(diff=True)'s JSON Patch operations as SSE events, and a client that applies them."""

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import jsonpatch
from fastapi import FastAPI
from httpx_sse import aconnect_sse
from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import JsonOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable
from pydantic import BaseModel, Field, ValidationError
from sse_starlette import EventSourceResponse, JSONServerSentEvent  # not fastapi.sse: a different class

from coursekit import FakeStreamingChatModel
from coursekit.server import BackgroundServer

logger = logging.getLogger("form")


class Note(BaseModel):
    """What the form shows: the object is checked against it once the model has written it all."""

    topic: str
    summary: str
    key_points: list[str]
    confidence: float = Field(ge=0, le=1)


def build_chain(model: BaseChatModel) -> Runnable:
    prompt = ChatPromptTemplate.from_messages([
        ("system", 'Answer with one JSON object with the keys "topic", "summary", "key_points" (a list of strings) and "confidence" (0 to 1).'),
        ("human", "{question}"),
    ])
    return prompt | model | JsonOutputParser(diff=True)


async def patch_events(chain: Runnable, question: str) -> AsyncIterator[JSONServerSentEvent]:
    note: Any = None  # the object the patches build: the client's will be the same
    patches = 0
    try:
        async for operations in chain.astream({"question": question}):
            note = jsonpatch.apply_patch(note, operations)
            patches += 1
            yield JSONServerSentEvent(operations, event="patch")  # a list of RFC 6902 operations
    except Exception:  # not BaseException: a client's disconnect must still cancel us
        logger.exception("the model failed after %d patches", patches)
        yield JSONServerSentEvent({"message": "The answer was interrupted.", "patches": patches}, event="error")
        return
    try:
        Note.model_validate(note)  # streaming checked nothing: check the whole object now
    except ValidationError as error:
        problem = error.errors()[0]
        message = f"The answer does not fit the form: {'.'.join(map(str, problem['loc'])) or 'answer'}: {problem['msg']}."
        yield JSONServerSentEvent({"message": message, "patches": patches}, event="error")
        return
    yield JSONServerSentEvent({"object": note, "patches": patches}, event="done")


def create_app(chain: Runnable) -> FastAPI:
    app = FastAPI()

    @app.get("/form")
    async def form(question: str) -> EventSourceResponse:
        return EventSourceResponse(patch_events(chain, question))

    return app


async def fill_form(url: str, *, show_patches: bool) -> None:
    """Apply each patch as it arrives, as the browser does; show the operations, or only how many came."""
    form: Any = None
    async with httpx.AsyncClient() as client, aconnect_sse(client, "GET", f"{url}/form", params={"question": "Why stream JSON?"}) as source:
        async for sse in source.aiter_sse():
            data = json.loads(sse.data)
            if sse.event == "patch":
                form = jsonpatch.apply_patch(form, data)
                for op in data if show_patches else []:
                    print(f"  patch  {op['op']:<7} {op['path'] or '(root)':<14} {json.dumps(op['value'], ensure_ascii=False)}")
                continue
            print(f"  {sse.event:<6} {data}")
            if sse.event == "done":
                print(f"  the client's form {'equals' if form == data['object'] else 'differs from'} the object in done")
            else:
                print(f"  the client's form so far: {form}")


async def main() -> None:
    runs = (
        ("a model that writes the object", FakeStreamingChatModel.realistic(), True),
        ("a model whose object leaves out a key", FakeStreamingChatModel.realistic(json_fault="mismatch"), False),
        ("a model that fails after 20 tokens", FakeStreamingChatModel.realistic(error_after=20), False),
    )
    for label, model, show_patches in runs:
        print(f"--- {label}:")
        with BackgroundServer(create_app(build_chain(model))) as url:
            await fill_form(url, show_patches=show_patches)


logging.basicConfig(format="  server log: %(message)s")
asyncio.run(main())

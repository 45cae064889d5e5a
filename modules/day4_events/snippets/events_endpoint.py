"""An endpoint that forwards a chain's events as named SSE events: step, token, error and done."""

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
from fastapi import FastAPI
from httpx_sse import aconnect_sse
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable
from sse_starlette import EventSourceResponse, JSONServerSentEvent  # not fastapi.sse: a different class

from coursekit import FakeStreamingChatModel
from coursekit.server import BackgroundServer

logger = logging.getLogger("chat")
ANSWER = "Each step of the chain reports its start and its end, and the model's tokens flow in between."


def find_notes(question: str) -> dict[str, str]:
    """A first step before the model, as a retriever would be."""
    return {"question": question, "notes": "astream_events() reports every step."}


def build_chain(model: FakeStreamingChatModel) -> Runnable:
    prompt = ChatPromptTemplate.from_template("Notes: {notes}\nQuestion: {question}")
    return find_notes | prompt | model | StrOutputParser()


def step(event: dict[str, Any]) -> dict[str, Any]:
    """on_<type>_<start|end> of one run, with the ids a page needs to draw the steps as a tree."""
    run_type, _, status = event["event"].removeprefix("on_").rpartition("_")
    return {"id": event["run_id"], "parent": event["parent_ids"][-1], "name": event["name"], "type": run_type, "status": status}


async def chain_events(chain: Runnable, question: str) -> AsyncIterator[JSONServerSentEvent]:
    tokens = 0
    try:
        async for event in chain.astream_events(question):
            if event["event"] == "on_chat_model_stream":
                if text := event["data"]["chunk"].text:  # never send the empty chunks
                    tokens += 1
                    yield JSONServerSentEvent({"text": text}, event="token")
            elif event["parent_ids"] and event["event"].endswith(("_start", "_end")):  # a step, not the chain
                yield JSONServerSentEvent(step(event), event="step")
    except Exception:  # not BaseException: a client's disconnect must still cancel us
        logger.exception("the chain failed after %d tokens", tokens)
        yield JSONServerSentEvent({"message": "The answer was interrupted.", "tokens": tokens}, event="error")
        return
    yield JSONServerSentEvent({"tokens": tokens}, event="done")


def create_app(chain: Runnable) -> FastAPI:
    app = FastAPI()

    @app.get("/ask")
    async def ask(question: str) -> EventSourceResponse:
        return EventSourceResponse(chain_events(chain, question))

    return app


async def read(url: str) -> None:
    """Print each step on its own line, and the tokens as one growing line."""
    in_text = False
    async with httpx.AsyncClient() as client, aconnect_sse(client, "GET", f"{url}/ask", params={"question": "Why?"}) as source:
        async for sse in source.aiter_sse():
            data = json.loads(sse.data)
            if sse.event == "token":
                print(data["text"] if in_text else f"  token  {data['text']}", end="", flush=True)
                in_text = True
                continue
            if in_text:
                print()
                in_text = False
            if sse.event == "step":
                print(f"  step   {data['status']:<5} {data['type']:<10} {data['name']}")
            else:
                print(f"  {sse.event:<6} {data}")


async def main() -> None:
    steady = FakeStreamingChatModel.realistic(responses=[ANSWER])
    flaky = FakeStreamingChatModel.realistic(responses=[ANSWER], error_after=5)
    for label, model in (("a model that finishes", steady), ("a model that fails after 5 tokens", flaky)):
        print(f"--- {label}:")
        with BackgroundServer(create_app(build_chain(model))) as url:
            await read(url)


logging.basicConfig(format="  server log: %(message)s")
asyncio.run(main())

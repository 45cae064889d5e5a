"""A routed chat over SSE: a route event, then the tokens; a client who leaves cancels both model calls."""

import asyncio
import threading
from collections.abc import AsyncIterator
from typing import Literal

import anyio
import httpx
from fastapi import FastAPI
from httpx_sse import aconnect_sse
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from pydantic import BaseModel, Field
from sse_starlette import EventSourceResponse, JSONServerSentEvent  # not fastapi.sse: a different class

from coursekit import FakeStreamingChatModel
from coursekit.server import BackgroundServer

llm = FakeStreamingChatModel(latency="0.3,0.02")
routes = {
    "math": ChatPromptTemplate.from_template("You are a mathematician. Solve it step by step.\nProblem: {input}") | llm | StrOutputParser(),
    "code": ChatPromptTemplate.from_template("You are a senior programmer. Write clean code with comments.\nRequest: {input}") | llm | StrOutputParser(),
    "general": ChatPromptTemplate.from_template("You are a helpful assistant. Answer clearly.\nQuestion: {input}") | llm | StrOutputParser(),
}


class Route(BaseModel):
    category: Literal["math", "code", "general"] = Field(description="Category of the question")


slow = FakeStreamingChatModel(latency="2.0,0.02")  # a classifier that takes two seconds, so that a client can leave first
classifier = ChatPromptTemplate.from_template("Classify this question: {input}") | slow.with_structured_output(Route)
server_log: list[str] = []
cleaned_up = threading.Event()  # the server runs in a thread of its own


async def pump(category: str, question: str, queue: asyncio.Queue) -> None:
    """One answer's model call, its chunks into a queue (None at the end)."""
    async for chunk in routes[category].astream({"input": question}):
        await queue.put(chunk)
    await queue.put(None)


async def routed_events(question: str) -> AsyncIterator[JSONServerSentEvent]:
    tasks = {"classifier": asyncio.create_task(classifier.ainvoke({"input": question}))}
    queues = {"general": asyncio.Queue(maxsize=1)}  # full after one chunk: a guess waits to be read, it cannot run ahead
    tasks["general"] = asyncio.create_task(pump("general", question, queues["general"]))  # the head start
    try:
        yield JSONServerSentEvent({"question": question}, event="start")  # both calls are on their way
        route = await tasks["classifier"]
        yield JSONServerSentEvent({"category": route.category}, event="route")  # before the first token
        if route.category != "general":
            tasks["general"].cancel()
            queues[route.category] = asyncio.Queue(maxsize=1)
            tasks[route.category] = asyncio.create_task(pump(route.category, question, queues[route.category]))
        tokens = 0
        while (chunk := await queues[route.category].get()) is not None:
            if chunk:
                tokens += 1
                yield JSONServerSentEvent({"text": chunk}, event="token")
        yield JSONServerSentEvent({"category": route.category, "tokens": tokens}, event="done")
    finally:  # the client left (CancelledError), or the answer is done: no call may outlive the request
        for task in tasks.values():
            task.cancel()  # does nothing to a task that has ended
        with anyio.CancelScope(shield=True):  # sse-starlette cancels through anyio, which cancels every await here too
            await asyncio.gather(*tasks.values(), return_exceptions=True)
        server_log.append(", ".join(f"{name} {'cancelled' if task.cancelled() else 'ended'}" for name, task in tasks.items()))
        cleaned_up.set()


app = FastAPI()


@app.get("/chat")
async def chat(question: str) -> EventSourceResponse:
    return EventSourceResponse(routed_events(question))


async def ask(url: str, question: str, leave_after: int | None) -> None:
    """Read the stream; leave (close the connection) after that many events, or read it all."""
    server_log.clear()
    cleaned_up.clear()
    seen = []
    async with httpx.AsyncClient() as client, aconnect_sse(client, "GET", f"{url}/chat", params={"question": question}) as source:
        async for sse in source.aiter_sse():
            seen.append(sse.event if sse.event != "route" else f"route {sse.data}")
            if len(seen) == leave_after:
                break
    if not await asyncio.to_thread(cleaned_up.wait, 10):
        server_log.append("never cleaned up")
    tokens = seen.count("token")
    print(f"  the client read: {', '.join(name for name in seen if name != 'token') or 'nothing'}, and {tokens} token event(s)")
    print(f"  the server's model calls: {server_log[0]}")


async def main() -> None:
    with BackgroundServer(app) as url:
        print("--- a client who reads the whole answer:")
        await ask(url, "What is 25 * 17?", leave_after=None)
        print("--- a client who leaves before the route is known:")
        await ask(url, "What is 25 * 17?", leave_after=1)
        print("--- a client who leaves after the route and 5 tokens:")
        await ask(url, "Write a Python function to reverse a string", leave_after=7)


asyncio.run(main())

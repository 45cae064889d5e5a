"""When the classifier fails (a label that is not one, an error, no answer in time), route to general with fallback: true."""

import asyncio
import time
from typing import Any, Literal

from langchain_core.callbacks import AsyncCallbackHandler
from langchain_core.language_models import BaseChatModel
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable, RunnableLambda
from pydantic import BaseModel, Field

from coursekit import FakeStreamingChatModel

BUDGET = 10.0  # seconds the classifier may take before the router stops waiting


class Route(BaseModel):
    category: Literal["math", "code", "general"] = Field(description="Category of the question")


class Calls(AsyncCallbackHandler):
    """Counts the model calls that start, end, and fail."""

    def __init__(self) -> None:
        self.started = self.ended = self.failed = 0

    async def on_chat_model_start(self, *args: Any, **kwargs: Any) -> None:
        self.started += 1

    async def on_llm_end(self, *args: Any, **kwargs: Any) -> None:
        self.ended += 1

    async def on_llm_error(self, *args: Any, **kwargs: Any) -> None:
        self.failed += 1


def robust_classifier(model: BaseChatModel, budget: float = BUDGET) -> Runnable:
    classify = ChatPromptTemplate.from_template("Classify this question: {input}") | model.with_structured_output(Route)

    async def within_budget(data: dict) -> dict:
        async with asyncio.timeout(budget):  # raises TimeoutError, and cancels the call, when the budget runs out
            route = await classify.ainvoke(data)
        if route is None:  # the model answered in prose, without the tool call that carries the object
            raise ValueError("no route in the answer")
        return {"category": route.category, "fallback": False}

    def general(data: dict) -> dict:
        return {"category": "general", "fallback": True, "reason": type(data["error"]).__name__}

    # with_fallbacks catches any Exception of the first runnable and runs the next; exception_key hands it the error.
    return RunnableLambda(within_budget).with_fallbacks([RunnableLambda(general)], exception_key="error")


async def main() -> None:
    models = {
        "a classifier that works": FakeStreamingChatModel(),
        "an invalid label": FakeStreamingChatModel(rules={".": {"category": "poetry"}}),
        "prose instead of JSON": FakeStreamingChatModel(json_fault="prose"),
        "an error": FakeStreamingChatModel(rate_limited=True),
        "no answer in time": FakeStreamingChatModel(time_to_first_token=3600),  # an hour: no budget is that long
    }
    for label, model in models.items():
        budget = 0.5 if label == "no answer in time" else BUDGET  # a short budget, so that the run stays short
        calls, before = Calls(), asyncio.all_tasks()
        start = time.perf_counter()
        route = await robust_classifier(model, budget).ainvoke({"input": "What is 25 * 17?"}, {"callbacks": [calls]})
        took = time.perf_counter() - start
        still_running = len(asyncio.all_tasks() - before)  # tasks the classification started and left behind
        print(f"{label:<24} {route}")
        print(f"{'':<24} after {took:.1f} s of {budget:g}; model calls: {calls.started} started, {calls.ended} ended, {calls.failed} failed; tasks left running: {still_running}")


asyncio.run(main())

"""Cutting the time to first token: start the likely answer while the classifier works, and pay for the guesses that miss."""

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any, Literal

from langchain_core.callbacks import AsyncCallbackHandler
from langchain_core.output_parsers import PydanticOutputParser, StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from pydantic import BaseModel, Field

from coursekit import get_chat_model

llm = get_chat_model(latency="0.3,0.02")  # paced like a hosted model, when it is the fake
routes = {
    "math": ChatPromptTemplate.from_template("You are a mathematician. Solve it step by step.\nProblem: {input}") | llm | StrOutputParser(),
    "code": ChatPromptTemplate.from_template("You are a senior programmer. Write clean code with comments.\nRequest: {input}") | llm | StrOutputParser(),
    "general": ChatPromptTemplate.from_template("You are a helpful assistant. Answer clearly.\nQuestion: {input}") | llm | StrOutputParser(),
}


class Route(BaseModel):
    category: Literal["math", "code", "general"] = Field(description="Category of the question")


# json_mode: the object comes as text, which every client can stream (ChatMaritaca cannot stream a tool call).
instructions = PydanticOutputParser(pydantic_object=Route).get_format_instructions()
classify_prompt = ChatPromptTemplate.from_template("Classify this question: {input}\n{instructions}").partial(instructions=instructions)
classifier = classify_prompt | llm.with_structured_output(Route, method="json_mode")


class Calls(AsyncCallbackHandler):
    """Counts the model calls started, and those stopped before their end."""

    def __init__(self) -> None:
        self.started = self.stopped = 0

    async def on_chat_model_start(self, *args: Any, **kwargs: Any) -> None:
        self.started += 1

    async def on_llm_error(self, error: BaseException, **kwargs: Any) -> None:
        self.stopped += 1


async def one_after_the_other(question: str, calls: Calls) -> AsyncIterator[str]:
    route = await classifier.ainvoke({"input": question}, {"callbacks": [calls]})
    async for chunk in routes[route.category].astream({"input": question}, {"callbacks": [calls]}):
        yield chunk


async def with_a_head_start(question: str, calls: Calls) -> AsyncIterator[str]:
    classifying = asyncio.create_task(classifier.ainvoke({"input": question}, {"callbacks": [calls]}))
    guess = routes["general"].astream({"input": question}, {"callbacks": [calls]})
    guess_first = asyncio.create_task(anext(guess))  # the general answer starts now, beside the classifier
    try:
        route = await classifying
    except BaseException:
        guess_first.cancel()
        raise
    if route.category == "general":  # a hit: its first token may already be here
        yield await guess_first
        async for chunk in guess:
            yield chunk
        return
    guess_first.cancel()  # a miss: stop the call we do not need, then start the right one
    await asyncio.gather(guess_first, return_exceptions=True)
    await guess.aclose()
    async for chunk in routes[route.category].astream({"input": question}, {"callbacks": [calls]}):
        yield chunk


async def first_token(router: Any, question: str) -> tuple[float, Calls]:
    calls = Calls()
    start = time.perf_counter()
    times = [time.perf_counter() - start async for _ in router(question, calls)]
    return times[0], calls


async def main() -> None:
    print(f"{'question':<33} {'first token: plain, ahead':<27} model calls: plain, ahead (stopped early)")
    for question in ("What is the capital of France?", "What is 25 * 17?"):
        plain, plain_calls = await first_token(one_after_the_other, question)
        ahead, ahead_calls = await first_token(with_a_head_start, question)
        print(f"{question:<33} {plain:.2f} s, {ahead:.2f} s{'':<13} {plain_calls.started}, {ahead_calls.started} ({ahead_calls.stopped} stopped early)")


asyncio.run(main())

"""The seed's trap: route_question returns chain.invoke(...), one finished answer; returning the chain streams it."""

import asyncio
import time
from typing import Literal

from langchain_core.output_parsers import PydanticOutputParser, StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable, RunnableLambda, RunnablePassthrough
from pydantic import BaseModel, Field

from coursekit import get_chat_model

llm = get_chat_model(latency="0.2,0.01")  # paced, when it is the fake, so that the times mean something
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
classify_chain = classify_prompt | llm.with_structured_output(Route, method="json_mode")


def route_question(data: dict) -> str:
    """The seed's version: runs the chosen chain to the end and returns its text."""
    chain = routes.get(data["route"].category, routes["general"])
    return chain.invoke({"input": data["input"]})


def pick_chain(data: dict) -> Runnable:
    """The fix: return the chain itself; the RunnableLambda runs it, and streams it."""
    return routes.get(data["route"].category, routes["general"])


def router(step: Runnable) -> Runnable:
    return RunnablePassthrough.assign(route=classify_chain) | step


async def measure(chain: Runnable, question: str) -> tuple[int, float, float]:
    start = time.perf_counter()
    times = [time.perf_counter() - start async for _ in chain.astream({"input": question})]
    return len(times), times[0], times[-1]


async def main() -> None:
    seed, fixed = router(RunnableLambda(route_question)), router(RunnableLambda(pick_chain))
    print(f"{'question':<45} {'returns chain.invoke()':<26} returns the chain")
    for question in ("What is 25 * 17?", "Write a Python function to reverse a string", "What is the capital of France?"):
        (n1, first1, _), (n2, first2, last2) = await measure(seed, question), await measure(fixed, question)
        print(f"{question:<45} {n1:>3} chunk(s), first {first1:.2f} s   {n2:>3} chunks, first {first2:.2f} s, last {last2:.2f} s")


asyncio.run(main())

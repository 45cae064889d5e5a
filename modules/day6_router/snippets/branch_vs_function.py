"""RunnableBranch against a function that returns a runnable: both stream; the function is what LangChain recommends."""

import asyncio
from typing import Literal

from langchain_core.output_parsers import PydanticOutputParser, StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable, RunnableBranch, RunnableLambda, RunnablePassthrough
from pydantic import BaseModel, Field

from coursekit import get_chat_model

llm = get_chat_model()
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
classify = RunnablePassthrough.assign(route=classify_prompt | llm.with_structured_output(Route, method="json_mode"))
conditions_run = []


def is_(category: str):
    def condition(data: dict) -> bool:
        conditions_run.append(category)
        return data["route"].category == category
    return condition


# (condition, runnable) pairs tried in order, then the default: the first condition that holds wins.
branch = RunnableBranch((is_("math"), routes["math"]), (is_("code"), routes["code"]), routes["general"])


def pick_chain(data: dict) -> Runnable:
    """One lookup; anything that is not a known label goes to general."""
    return routes.get(data["route"].category, routes["general"])


async def main() -> None:
    for label, step in (("RunnableBranch", branch), ("a function", RunnableLambda(pick_chain))):
        print(f"--- {label}")
        for question in ("What is 25 * 17?", "Write a Python function to reverse a string", "What is the capital of France?"):
            conditions_run.clear()
            chunks = [chunk async for chunk in (classify | step).astream({"input": question})]
            tried = f", conditions tried: {', '.join(conditions_run)}" if step is branch else ""
            print(f"{question:<45} {len(chunks):>3} chunks{tried}")
        events = [e async for e in (classify | step).astream_events({"input": "What is 25 * 17?"}, version="v2") if e["event"] == "on_chain_start"]
        print(f"  steps started for the math question: {', '.join(e['name'] for e in events)}")


asyncio.run(main())

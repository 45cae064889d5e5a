"""Keeps the seed's chain.invoke: the route is right, but the answer comes back finished, as one chunk.

"It already picks the right chain and the chain streams, so the router streams." The chain would,
if it were streamed; invoke runs it to the end and returns one string.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable, RunnableLambda
from pydantic import BaseModel, Field

MATH_PROMPT = ChatPromptTemplate.from_template("You are a mathematician. Solve it step by step.\nProblem: {input}")
CODE_PROMPT = ChatPromptTemplate.from_template("You are a senior programmer. Write clean code with comments.\nRequest: {input}")
GENERAL_PROMPT = ChatPromptTemplate.from_template("You are a helpful assistant. Answer clearly.\nQuestion: {input}")
CLASSIFY_PROMPT = ChatPromptTemplate.from_template("Classify this question: {input}")


class Route(BaseModel):
    category: Literal["math", "code", "general"] = Field(description="Category of the question")


def build_router(model: BaseChatModel) -> Runnable:
    routes = {
        "math": MATH_PROMPT | model | StrOutputParser(),
        "code": CODE_PROMPT | model | StrOutputParser(),
        "general": GENERAL_PROMPT | model | StrOutputParser(),
    }
    classify_chain = CLASSIFY_PROMPT | model.with_structured_output(Route)

    def route_question(data: dict) -> str:
        chain = routes.get(data["route"].category, routes["general"])
        return chain.invoke({"input": data["input"]})

    return {"route": classify_chain, "input": itemgetter("input")} | RunnableLambda(route_question)

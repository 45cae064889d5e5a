"""Returns the chain, but asks the classifier again inside route_question to get the category.

It streams, and each question costs three model calls: data["route"] already held the Route the
router's first step computed.
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

    def route_question(data: dict) -> Runnable:
        route = classify_chain.invoke({"input": data["input"]})
        return routes.get(route.category, routes["general"])

    return {"route": classify_chain, "input": itemgetter("input")} | RunnableLambda(route_question)

"""Exercise 1 (solution): route_question returns the chosen chain, and LangChain streams it.

A ``RunnableLambda`` whose function returns a runnable runs that runnable with the same input,
in the same run, and streams its output: ``router.astream()`` yields the route's tokens as the
model writes them. Returning ``chain.invoke(...)`` hands back a finished string instead, so the
stream is one chunk long. ``RunnableBranch`` streams too (see the corpus); LangChain's docs now
recommend the function that returns a runnable, which reads as plain Python and can choose among
any number of routes.
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
    """The seed's router: ``{"input": question}`` in, the chosen route's answer out, streamed."""
    routes = {
        "math": MATH_PROMPT | model | StrOutputParser(),
        "code": CODE_PROMPT | model | StrOutputParser(),
        "general": GENERAL_PROMPT | model | StrOutputParser(),
    }
    classify_chain = CLASSIFY_PROMPT | model.with_structured_output(Route)

    def route_question(data: dict) -> Runnable:
        return routes.get(data["route"].category, routes["general"])

    return {"route": classify_chain, "input": itemgetter("input")} | RunnableLambda(route_question)

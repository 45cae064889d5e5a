"""A RunnableBranch of conditions on the route: it streams the chosen branch as well."""

from __future__ import annotations

from operator import itemgetter
from typing import Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable, RunnableBranch
from pydantic import BaseModel, Field

MATH_PROMPT = ChatPromptTemplate.from_template("You are a mathematician. Solve it step by step.\nProblem: {input}")
CODE_PROMPT = ChatPromptTemplate.from_template("You are a senior programmer. Write clean code with comments.\nRequest: {input}")
GENERAL_PROMPT = ChatPromptTemplate.from_template("You are a helpful assistant. Answer clearly.\nQuestion: {input}")
CLASSIFY_PROMPT = ChatPromptTemplate.from_template("Classify this question: {input}")


class Route(BaseModel):
    category: Literal["math", "code", "general"] = Field(description="Category of the question")


def build_router(model: BaseChatModel) -> Runnable:
    classify_chain = CLASSIFY_PROMPT | model.with_structured_output(Route)
    branch = RunnableBranch(
        (lambda data: data["route"].category == "math", MATH_PROMPT | model | StrOutputParser()),
        (lambda data: data["route"].category == "code", CODE_PROMPT | model | StrOutputParser()),
        GENERAL_PROMPT | model | StrOutputParser(),
    )
    return {"route": classify_chain, "input": itemgetter("input")} | branch

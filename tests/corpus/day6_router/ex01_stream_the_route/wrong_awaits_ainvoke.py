"""Makes route_question async and awaits ainvoke, as if async alone made it stream.

The router is now async all the way, and the answer still arrives in one piece: ainvoke, like
invoke, returns the finished answer. The sync stream cannot even run it.
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

    async def route_question(data: dict) -> str:
        chain = routes.get(data["route"].category, routes["general"])
        return await chain.ainvoke({"input": data["input"]})

    return {"route": classify_chain, "input": itemgetter("input")} | RunnableLambda(route_question)

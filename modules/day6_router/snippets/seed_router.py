"""The seed's smart router, made runnable offline: classify the question, then stream the chain of its category."""

import asyncio
from typing import Literal

from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from pydantic import BaseModel, Field

from coursekit import get_chat_model

llm = get_chat_model()

math_chain = ChatPromptTemplate.from_template("You are a mathematician. Solve it step by step.\nProblem: {input}") | llm | StrOutputParser()
code_chain = ChatPromptTemplate.from_template("You are a senior programmer. Write clean code with comments.\nRequest: {input}") | llm | StrOutputParser()
general_chain = ChatPromptTemplate.from_template("You are a helpful assistant. Answer clearly.\nQuestion: {input}") | llm | StrOutputParser()
routes = {"math": math_chain, "code": code_chain, "general": general_chain}


class Route(BaseModel):
    category: Literal["math", "code", "general"] = Field(description="Category of the question")


classify_chain = ChatPromptTemplate.from_template("Classify this question: {input}") | llm.with_structured_output(Route)


async def smart_router(question: str) -> None:
    print(f"Question: {question}")
    route = await classify_chain.ainvoke({"input": question})  # a Route, validated: the label is one of the three
    print(f"Category: {route.category}")
    print("Answer: ", end="")
    chunks = 0
    async for chunk in routes[route.category].astream({"input": question}):
        print(chunk, end="", flush=True)
        chunks += 1
    print(f"\n({chunks} chunks)")


async def main() -> None:
    for question in ("What is 25 * 17?", "Write a Python function to reverse a string", "What is the capital of France?"):
        await smart_router(question)
        print("-" * 50)


asyncio.run(main())

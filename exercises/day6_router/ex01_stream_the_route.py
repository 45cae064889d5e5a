"""Exercise 1: fix the smart router so that its answer streams piece by piece.

This is the router of the course's Indonesian seed, translated. A classifier reads the question
and answers with a ``Route`` (``with_structured_output``: ``category`` is ``"math"``, ``"code"``
or ``"general"``), and ``route_question`` hands the question to that route's chain. It picks
the right route every time, and yet the page that streams it shows nothing for seconds, then the
whole answer at once: ``router.astream(...)`` yields *one* chunk.

The trap is in ``route_question``: it returns ``chain.invoke(...)``, the finished answer, so the
``RunnableLambda`` around it has nothing to stream but that one string. Return the *chain*
instead: when the function of a ``RunnableLambda`` returns a runnable, LangChain runs that
runnable with the same input, and streams it, chunk by chunk, through the whole router. The
prompts read ``{input}``; the extra ``route`` key of the input does no harm.

Fix ``route_question`` so that:

1. ``build_router(model).astream({"input": question})`` (and ``.stream``) yields the chosen
   route's answer in as many pieces as the model writes it, each as soon as it is written;
2. the question is still classified once: the model is called twice per question, once to
   classify and once to answer.

Try it::

    import asyncio
    from coursekit import FakeStreamingChatModel

    router = build_router(FakeStreamingChatModel.realistic())

    async def main():
        async for piece in router.astream({"input": "What is 25 * 17?"}):
            print(repr(piece))

    asyncio.run(main())

Before the fix it prints the answer as one string after a pause; after it, one token at a time.

Read this task in your language: ``coursekit task ex01_stream_the_route``.
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
    """The seed's router: ``{"input": question}`` in, the chosen route's answer out."""
    routes = {
        "math": MATH_PROMPT | model | StrOutputParser(),
        "code": CODE_PROMPT | model | StrOutputParser(),
        "general": GENERAL_PROMPT | model | StrOutputParser(),
    }
    classify_chain = CLASSIFY_PROMPT | model.with_structured_output(Route)

    def route_question(data: dict) -> str | Runnable:
        category = data["route"].category
        chain = routes.get(category, routes["general"])
        # TODO: this runs the chain to the end and returns the finished answer, so nothing can
        # stream. Return the chain itself: the RunnableLambda will run it, and stream it.
        return chain.invoke({"input": data["input"]})

    return {"route": classify_chain, "input": itemgetter("input")} | RunnableLambda(route_question)

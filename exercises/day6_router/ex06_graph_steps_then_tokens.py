"""Exercise 6: stream the LangGraph router: its steps as they happen, the tool's result, then the answer.

The same router, as a LangGraph ``StateGraph`` (``build_graph``, done): a ``classify`` node, a
conditional edge to one node per route, and on the math route an agent loop, ``math`` -> ``tools``
(a calculator) -> ``math``, which calls the tool and then words its result. A page that shows
"classifying... calculating... answering" needs both the steps and the tokens, from one run:
``graph.astream(inputs, stream_mode=["updates", "messages"])`` yields ``(mode, data)`` pairs, in
the order things happen:

- ``("updates", {node: update})`` when a node finishes, with what it returned;
- ``("messages", (chunk, metadata))`` for each message chunk a node's model streams, while the
  node runs; ``metadata["langgraph_node"]`` names the node. The tools node's ``ToolMessage``
  passes here too, whole, and so do the classifier's chunks: neither is the answer.

Write the async generator ``graph_events(graph, question)``, which sends named Server-Sent Events:

1. ``step``, ``{"node": name}``, for every node of each update, the moment it arrives; after the
   tools node's step, a ``tool`` event ``{"name": message.name, "output": message.text}`` for each
   ``ToolMessage`` in its update, so the page shows "25 * 17 = 425" before the answer's words;
2. ``token``, ``{"text": ...}``, for each ``AIMessageChunk`` with text from any node but
   ``classify``, as it streams;
3. ``done``, ``{"tokens": <token events sent>}``, at the end.

Try it::

    import asyncio
    from coursekit import FakeStreamingChatModel

    model = FakeStreamingChatModel.realistic()
    graph = build_graph(model, model)

    async def main():
        async for event in graph_events(graph, "What is 25 * 17?"):
            print(event.event, event.data)

    asyncio.run(main())

It prints the steps classify and math, then tools with the calculator's 425, then the tokens
of the answer, then the last math step and done.

Read this task in your language: ``coursekit task ex06_graph_steps_then_tokens``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessageChunk, HumanMessage, SystemMessage, ToolMessage  # noqa: F401  (for you to use)
from langchain_core.tools import tool
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode, tools_condition
from pydantic import BaseModel, Field
from sse_starlette import JSONServerSentEvent

SYSTEM = {
    "math": "You are a mathematician. Use the calculator for every sum, then give the result.",
    "code": "You are a senior programmer. Write clean code with comments.",
    "general": "You are a helpful assistant. Answer clearly.",
}


class Route(BaseModel):
    category: Literal["math", "code", "general"] = Field(description="Category of the question")


class State(MessagesState):
    route: str


@tool
def calculator(expression: str) -> str:
    """Evaluate an arithmetic expression such as 25 * 17."""
    allowed = set("0123456789+-*/(). ")
    if not set(expression) <= allowed:
        return "I can only do arithmetic."
    return str(eval(expression, {"__builtins__": {}}))  # noqa: S307  (digits and operators only)


def build_graph(classifier: BaseChatModel, model: BaseChatModel):
    """classify -> math (with the calculator, through the tools node) | code | general."""
    router = classifier.with_structured_output(Route)
    with_tools = model.bind_tools([calculator])

    async def classify(state: State) -> dict:
        route = await router.ainvoke([HumanMessage(f"Classify this question: {state['messages'][-1].content}")])
        return {"route": route.category if route is not None else "general"}

    def answer_with(route: str, answering: BaseChatModel):
        async def answer(state: State) -> dict:
            return {"messages": [await answering.ainvoke([SystemMessage(SYSTEM[route]), *state["messages"]])]}

        return answer

    graph = StateGraph(State)
    graph.add_node("classify", classify)
    graph.add_node("math", answer_with("math", with_tools))
    graph.add_node("tools", ToolNode([calculator]))
    graph.add_node("code", answer_with("code", model))
    graph.add_node("general", answer_with("general", model))
    graph.add_edge(START, "classify")
    graph.add_conditional_edges("classify", lambda state: state["route"], ["math", "code", "general"])
    graph.add_conditional_edges("math", tools_condition, {"tools": "tools", END: END})
    graph.add_edge("tools", "math")
    graph.add_edge("code", END)
    graph.add_edge("general", END)
    return graph.compile()


async def graph_events(graph, question: str) -> AsyncIterator[JSONServerSentEvent]:
    """``step`` per node update (``tool`` per tool result), ``token`` per AI chunk with text, then ``done``."""
    # TODO: tokens = 0; async for mode, data in graph.astream({"messages": [HumanMessage(question)]},
    # stream_mode=["updates", "messages"]): for "updates", data is {node: update}: yield a "step"
    # event {"node": node} for each, and a "tool" event {"name": message.name, "output": message.text}
    # for each ToolMessage in update["messages"]. For "messages", data is (chunk, metadata): yield a
    # "token" event {"text": chunk.text} when chunk is an AIMessageChunk with text and
    # metadata["langgraph_node"] is not "classify". Last, "done" with {"tokens": count}.
    raise NotImplementedError("graph_events")
    yield  # a `yield` anywhere makes this function an async generator

"""Streams the messages alone and sends a step each time the chunks come from another node.

Nodes whose model writes no text (the classifier, the math node's tool call) send no chunk
with text, so they never show up as steps, and there is no update to read the tool's result from.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage, ToolMessage
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
    tokens = 0
    current = None
    async for chunk, metadata in graph.astream({"messages": [HumanMessage(question)]}, stream_mode="messages"):
        node = metadata.get("langgraph_node")
        if not chunk.text:
            continue
        if node != current:
            current = node
            yield JSONServerSentEvent({"node": node}, event="step")
        if isinstance(chunk, ToolMessage):
            yield JSONServerSentEvent({"name": chunk.name, "output": chunk.text}, event="tool")
        elif node != "classify":
            tokens += 1
            yield JSONServerSentEvent({"text": chunk.text}, event="token")
    yield JSONServerSentEvent({"tokens": tokens}, event="done")

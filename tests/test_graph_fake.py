"""The fake inside LangGraph (day 6): a StateGraph router and a ``create_agent`` agent with a tool.

A graph streamed with ``stream_mode=["updates", "messages", "custom"]`` gets each node's update,
the model's tokens as several message chunks tagged with their ``langgraph_node``, and what a
node writes with ``get_stream_writer``; ``astream_events`` sees the same tokens. In an agent the
fake calls the calculator for a sum, reads the ``ToolMessage`` and streams an answer that uses
the result. Where the real ``ChatOpenAI`` runs the same graph over the OpenAI-compatible stub,
the two must stream the same chunks: when they disagree, the fake is wrong.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Iterator
from typing import Any, Literal, TypedDict

import pytest
from langchain.agents import create_agent
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, ToolMessage
from langchain_core.tools import tool
from langchain_openai import ChatOpenAI
from langgraph.config import get_stream_writer
from langgraph.graph import END, START, StateGraph
from pydantic import BaseModel, Field

from coursekit.fake_model import FakeStreamingChatModel
from coursekit.openai_stub import serve_openai_stub

pytestmark = pytest.mark.filterwarnings("ignore:Pydantic serializer warnings:UserWarning")

QUESTIONS = {
    "What is 25 * 17?": "math",
    "Write a Python function to reverse a string": "code",
    "What is the capital of France?": "general",
}
each_question = pytest.mark.parametrize(("question", "route"), QUESTIONS.items())
MODES = ["updates", "messages", "custom"]


class Route(BaseModel):
    category: Literal["math", "code", "general"] = Field(description="Category of the question")


class State(TypedDict, total=False):
    question: str
    route: str
    answer: str


def router(model: BaseChatModel, method: str = "function_calling") -> Any:
    """classify -> (math | code | general): the classify node writes the route as a custom event."""
    classifier = model.with_structured_output(Route, method=method)

    def classify(state: State) -> State:
        route = classifier.invoke(f"Classify this question: {state['question']}").category
        get_stream_writer()({"route": route})
        return {"route": route}

    def answer(state: State) -> State:
        return {"answer": model.invoke(state["question"]).content}

    graph = StateGraph(State)
    graph.add_node("classify", classify)
    for name in ("math", "code", "general"):
        graph.add_node(name, answer)
        graph.add_edge(name, END)
    graph.add_edge(START, "classify")
    graph.add_conditional_edges("classify", lambda state: state["route"], ["math", "code", "general"])
    return graph.compile()


_OPERATIONS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def _evaluated(node: ast.AST) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATIONS:
        return _OPERATIONS[type(node.op)](_evaluated(node.left), _evaluated(node.right))
    raise ValueError("only + - * / on numbers")


@tool
def calculator(expression: str) -> str:
    """Evaluate an arithmetic expression such as 2 + 3 * 4."""
    value = _evaluated(ast.parse(expression, mode="eval").body)
    return str(int(value) if float(value).is_integer() else value)


def shape(mode: str, data: Any) -> tuple[Any, ...]:
    """What a lesson reads from one streamed part, ids and timings left out."""
    if mode == "messages":
        chunk, metadata = data
        calls = tuple((c["name"], c["args"]) for c in getattr(chunk, "tool_call_chunks", []))
        keys = tuple(sorted(chunk.response_metadata)), tuple(sorted(metadata))  # ls_temperature: both real clients send it
        return mode, type(chunk).__name__, chunk.content, calls, keys, metadata["langgraph_node"]
    if mode == "updates":
        return mode, {node: _update_shape(update) for node, update in data.items()}
    return mode, data


def _update_shape(update: Any) -> Any:
    if not isinstance(update, dict) or "messages" not in update:
        return update
    return [(type(m).__name__, m.content, [(c["name"], c["args"]) for c in getattr(m, "tool_calls", [])]) for m in update["messages"]]


@pytest.fixture(scope="module")
def stub_url() -> Iterator[str]:
    with serve_openai_stub(FakeStreamingChatModel()) as url:
        yield url


def chat_openai(url: str) -> ChatOpenAI:
    return ChatOpenAI(model="stub-model", api_key="stub", base_url=url, stream_usage=True, max_retries=0)


# --- a StateGraph router -----------------------------------------------------------------------


@each_question
@pytest.mark.parametrize("layout", ["openai", "maritaca", "single"])
def test_the_route_comes_first_then_the_routes_tokens(question: str, route: str, layout: str) -> None:
    parts = list(router(FakeStreamingChatModel(chunk_layout=layout)).stream({"question": question}, stream_mode=MODES))
    kinds = [mode for mode, _ in parts]
    custom = kinds.index("custom")
    assert parts[custom][1] == {"route": route}
    assert ("updates", {"classify": {"route": route}}) in parts[custom:]
    tokens = [(chunk, meta) for mode, (chunk, meta) in (p for p in parts if p[0] == "messages") if meta["langgraph_node"] == route]
    first_token = next(i for i, (mode, data) in enumerate(parts) if mode == "messages" and data[1]["langgraph_node"] == route)
    assert custom < first_token, "the route is known before the answer's first token"
    texts = [chunk.content for chunk, _ in tokens if chunk.content]
    assert len(texts) > 5, "the answer streams in several chunks"
    assert parts[-1] == ("updates", {route: {"answer": "".join(texts)}})
    classifier_nodes = {meta["langgraph_node"] for mode, (_, meta) in (p for p in parts if p[0] == "messages") if meta["langgraph_node"] != route}
    assert classifier_nodes == {"classify"}


@each_question
def test_the_router_streams_as_chatopenai_does_over_the_stub(stub_url: str, question: str, route: str) -> None:
    real = [shape(*part) for part in router(chat_openai(stub_url)).stream({"question": question}, stream_mode=MODES)]
    fake = [shape(*part) for part in router(FakeStreamingChatModel()).stream({"question": question}, stream_mode=MODES)]
    assert fake == real


async def test_astream_events_sees_the_same_tokens_with_their_node() -> None:
    graph = router(FakeStreamingChatModel())
    question = {"question": "What is 25 * 17?"}
    tokens = [
        (event["metadata"]["langgraph_node"], event["data"]["chunk"].content)
        async for event in graph.astream_events(question, version="v2")
        if event["event"] == "on_chat_model_stream"
    ]
    streamed = [data[0].content for mode, data in graph.stream(question, stream_mode=["messages"]) if mode == "messages"]
    assert [content for _, content in tokens] == streamed
    math_text = "".join(content for node, content in tokens if node == "math")
    assert "250 + 175 = 425" in math_text and sum(1 for node, c in tokens if node == "math" and c) > 5


# --- an agent with a calculator ----------------------------------------------------------------


def agent_parts(model: BaseChatModel, question: str = "What is 25 * 17?") -> list[tuple[str, Any]]:
    agent = create_agent(model, tools=[calculator])
    return list(agent.stream({"messages": [HumanMessage(question)]}, stream_mode=["updates", "messages"]))


@pytest.mark.parametrize(("question", "result"), [("What is 25 * 17?", "425"), ("Calculate 3 + 4 * 2", "11")])
def test_the_agent_calls_the_calculator_then_streams_an_answer_with_its_result(question: str, result: str) -> None:
    parts = agent_parts(FakeStreamingChatModel(), question)
    updates = [data for mode, data in parts if mode == "updates"]
    assert [next(iter(update)) for update in updates] == ["model", "tools", "model"]
    call = updates[0]["model"]["messages"][0]
    assert isinstance(call, AIMessage) and call.tool_calls[0]["name"] == "calculator"
    tool_message = updates[1]["tools"]["messages"][0]
    assert isinstance(tool_message, ToolMessage) and tool_message.content == result
    assert tool_message.tool_call_id == call.tool_calls[0]["id"]
    final = updates[2]["model"]["messages"][0]
    assert result in final.content and not final.tool_calls
    at_tool = next(i for i, (mode, data) in enumerate(parts) if mode == "messages" and isinstance(data[0], ToolMessage))
    before = [data[0] for mode, data in parts[:at_tool] if mode == "messages"]
    after = [data[0].content for mode, data in parts[at_tool + 1 :] if mode == "messages" and isinstance(data[0], AIMessageChunk)]
    assert sum(1 for chunk in before if chunk.tool_call_chunks and chunk.tool_call_chunks[0]["args"]) > 1, "the arguments stream"
    assert len([text for text in after if text]) > 2 and "".join(after) == final.content


def test_the_agent_streams_as_chatopenai_does_over_the_stub(stub_url: str) -> None:
    real = [shape(*part) for part in agent_parts(chat_openai(stub_url))]
    assert [shape(*part) for part in agent_parts(FakeStreamingChatModel())] == real


async def test_the_agents_events_put_the_tool_between_the_two_answers() -> None:
    agent = create_agent(FakeStreamingChatModel(), tools=[calculator])
    events = [event async for event in agent.astream_events({"messages": [HumanMessage("What is 25 * 17?")]}, version="v2")]
    kinds = [event["event"] for event in events if event["event"] in ("on_chat_model_end", "on_tool_start", "on_tool_end")]
    assert kinds == ["on_chat_model_end", "on_tool_start", "on_tool_end", "on_chat_model_end"]
    tool_end = next(event for event in events if event["event"] == "on_tool_end")
    assert tool_end["data"]["output"].content == "425"
    after = events[events.index(tool_end) :]
    assert "".join(e["data"]["chunk"].content for e in after if e["event"] == "on_chat_model_stream").endswith("425")


def test_with_no_sum_the_agent_answers_without_the_tool() -> None:
    parts = agent_parts(FakeStreamingChatModel(), "What is the capital of France?")
    updates = [data for mode, data in parts if mode == "updates"]
    assert [next(iter(update)) for update in updates] == ["model"]
    assert not updates[0]["model"]["messages"][0].tool_calls

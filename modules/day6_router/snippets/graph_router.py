"""The router as a LangGraph StateGraph: a classify node, conditional edges, one node per route; streamed two ways."""

import asyncio
from typing import Literal, TypedDict

from langchain_core.output_parsers import PydanticOutputParser, StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langgraph.config import get_stream_writer
from langgraph.graph import END, START, StateGraph
from pydantic import BaseModel, Field

from coursekit import get_chat_model

llm = get_chat_model()
routes = {
    "math": ChatPromptTemplate.from_template("You are a mathematician. Solve it step by step.\nProblem: {input}") | llm | StrOutputParser(),
    "code": ChatPromptTemplate.from_template("You are a senior programmer. Write clean code with comments.\nRequest: {input}") | llm | StrOutputParser(),
    "general": ChatPromptTemplate.from_template("You are a helpful assistant. Answer clearly.\nQuestion: {input}") | llm | StrOutputParser(),
}


class Route(BaseModel):
    category: Literal["math", "code", "general"] = Field(description="Category of the question")


# json_mode: the object comes as text, which every client can stream (ChatMaritaca cannot stream a tool call).
instructions = PydanticOutputParser(pydantic_object=Route).get_format_instructions()
classify_prompt = ChatPromptTemplate.from_template("Classify this question: {input}\n{instructions}").partial(instructions=instructions)
classifier = classify_prompt | llm.with_structured_output(Route, method="json_mode")


class State(TypedDict, total=False):
    question: str
    route: str
    answer: str


async def classify(state: State) -> State:
    route = await classifier.ainvoke({"input": state["question"]})
    get_stream_writer()({"route": route.category})  # stream_mode="custom": the route, before any answer token
    return {"route": route.category}


def answer_with(category: str):
    async def answer(state: State) -> State:
        # ainvoke, not astream: the graph still streams the model's tokens (stream_mode="messages").
        return {"answer": await routes[category].ainvoke({"input": state["question"]})}
    return answer


builder = StateGraph(State)
builder.add_node("classify", classify)
for category in routes:
    builder.add_node(category, answer_with(category))
    builder.add_edge(category, END)
builder.add_edge(START, "classify")
builder.add_conditional_edges("classify", lambda state: state["route"], list(routes))  # the node named by the route
graph = builder.compile()


async def with_stream_modes(question: str) -> None:
    tokens: dict[str, int] = {}
    async for mode, data in graph.astream({"question": question}, stream_mode=["updates", "messages", "custom"]):
        if mode == "messages":
            chunk, metadata = data
            if chunk.text:
                tokens[metadata["langgraph_node"]] = tokens.get(metadata["langgraph_node"], 0) + 1
        elif mode == "updates":
            for node, update in data.items():
                print(f"  updates   {node}: {', '.join(f'{key}={value[:40]!r}' for key, value in update.items())}")
        else:
            print(f"  custom    {data}  (tokens so far: {tokens or 'none'})")
    print(f"  messages  tokens by langgraph_node: {tokens}")


async def with_astream_events(question: str) -> None:
    nodes = {"classify", *routes}
    tokens: dict[str, int] = {}
    async for event in graph.astream_events({"question": question}, version="v2"):
        node = event["metadata"].get("langgraph_node")
        if event["event"] == "on_chain_start" and event["name"] in nodes:
            print(f"  on_chain_start  {event['name']}")
        elif event["event"] == "on_chat_model_stream" and event["data"]["chunk"].text:
            tokens[node] = tokens.get(node, 0) + 1
        elif event["event"] == "on_chain_end" and event["name"] in nodes:
            print(f"  on_chain_end    {event['name']} -> {list(event['data']['output'])}")
    print(f"  on_chat_model_stream by langgraph_node: {tokens}")


async def main() -> None:
    print("--- stream_mode=['updates', 'messages', 'custom'], 'What is 25 * 17?':")
    await with_stream_modes("What is 25 * 17?")
    print("--- astream_events, 'Write a Python function to reverse a string':")
    await with_astream_events("Write a Python function to reverse a string")


asyncio.run(main())

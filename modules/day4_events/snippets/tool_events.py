"""A step that lets the model call a tool: on_tool_start and on_tool_end, and no stream event in between."""

import asyncio

from langchain_core.messages import BaseMessage, HumanMessage
from langchain_core.runnables import RunnableLambda
from langchain_core.tools import tool

from coursekit import get_chat_model


@tool
def get_weather(city: str) -> str:
    """The weather in a city."""
    return f"Sunny and 31 °C in {city}"


# ChatMaritaca 0.4.1 cannot stream a tool call: "tool_calling" asks for those answers whole.
model = get_chat_model(disable_streaming="tool_calling")
with_tools = model.bind_tools([get_weather])


@RunnableLambda
async def ask(question: str) -> str:
    """The model asks for the tool, the tool answers, the model writes the reply with it."""
    messages: list[BaseMessage] = [HumanMessage(question)]
    messages.append(await with_tools.ainvoke(messages))
    for call in messages[-1].tool_calls:
        messages.append(await get_weather.ainvoke(call))
    return (await model.ainvoke(messages)).text


async def main() -> None:
    timeline: list[list] = []  # [event, name, count]: a run of equal events becomes one row
    async for event in ask.astream_events("What is the weather in 'Recife'?"):
        if timeline and timeline[-1][:2] == [event["event"], event["name"]]:
            timeline[-1][2] += 1
        else:
            timeline.append([event["event"], event["name"], 1])
        if event["event"] == "on_tool_start":
            print(f"tool input:  {event['data']['input']}")
        elif event["event"] == "on_tool_end":
            print(f"tool output: {event['data']['output']!r}")
        elif event["event"] == "on_chain_end":
            print(f"the answer:  {event['data']['output']!r}")
    for kind, name, count in timeline:
        print(f"  {kind:<21} {name}" + (f"  x{count}" if count > 1 else ""))


asyncio.run(main())

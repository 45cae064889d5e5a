"""A model that fails mid-stream sends no error event: the exception comes out of the loop. A tool sends on_tool_error."""

import asyncio

from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.tools import tool

from coursekit import FakeStreamingChatModel, StreamInterruptedError

# The connection drops after four chunks of text, as a provider's sometimes does.
model = FakeStreamingChatModel(responses=["This answer will not make it to the end."], error_after=4)
chain = ChatPromptTemplate.from_template("{question}") | model | StrOutputParser()


@tool
def get_weather(city: str) -> str:
    """The weather in a city."""
    raise ConnectionError("the weather service is down")


async def main() -> None:
    kinds, text = [], ""
    try:
        async for event in chain.astream_events({"question": "Will it finish?"}):
            kinds.append(event["event"])
            if event["event"] == "on_chat_model_stream":
                text += event["data"]["chunk"].text
    except StreamInterruptedError as error:
        print(f"the loop raised {type(error).__name__}: {error}")
    print(f"text before the failure: {text!r}")
    print(f"the last events: {kinds[-3:]}")
    print(f"error events: {[kind for kind in kinds if 'error' in kind]}, end events: {[kind for kind in kinds if kind.endswith('_end')]}")

    print("\nA tool that raises:")
    try:
        async for event in get_weather.astream_events({"city": "Recife"}):
            print(f"  {event['event']:<14} {event['name']}  data keys: {sorted(event['data'])}")
    except ConnectionError as error:
        print(f"  and then the loop raised {type(error).__name__}: {error}")


asyncio.run(main())

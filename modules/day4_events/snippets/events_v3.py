"""version="v3", in beta in langchain-core 1.7: a typed stream object from a chat model, not a list of events."""

import asyncio
import warnings

from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.tools import tool
from pydantic import ValidationError

from coursekit import get_chat_model


@tool
def get_weather(city: str) -> str:
    """The weather in a city."""
    return f"Sunny in {city}"


model = get_chat_model()


async def main() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        stream = await model.astream_events("Why stream?", version="v3")  # awaited: it returns the stream
    for warning in caught:
        print(f"{warning.category.__name__}: {warning.message}")

    print("stream.text:", end=" ")
    async for delta in stream.text:  # only the text, no empty chunks, no other steps
        print(delta, end="", flush=True)
    message = await stream.output
    print(f"\nawait stream.output: {type(message).__name__}, content blocks {[block['type'] for block in message.content]}")

    try:
        calls = await model.bind_tools([get_weather]).astream_events("What is the weather in 'Recife'?", version="v3")
        print(f"await stream.tool_calls: {[(call['name'], call['args']) for call in await calls.tool_calls]}")
    except ValidationError:  # v3 always streams, even with disable_streaming="tool_calling"
        print("await stream.tool_calls: ChatMaritaca 0.4.1 cannot stream a tool call")

    try:
        filtered = await model.astream_events("Why stream?", version="v3", include_names=["nothing"])
        print(f"include_names= filters nothing: {len(await filtered.text)} characters of text all the same")
    except TypeError as error:  # ChatOpenAI hands the unknown argument on to its API client
        print(f"include_names= reached the API client: {error}")

    chain = ChatPromptTemplate.from_template("{question}") | model | StrOutputParser()
    try:
        await chain.astream_events({"question": "Why stream?"}, version="v3")
    except NotImplementedError as error:
        print(f"a chain: NotImplementedError: {error}")


asyncio.run(main())

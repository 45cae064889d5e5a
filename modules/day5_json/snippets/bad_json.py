"""Streaming hides bad JSON: what astream() and ainvoke() of model | JsonOutputParser do with four answers that go wrong."""

import asyncio

from langchain_core.output_parsers import JsonOutputParser
from langchain_core.prompts import ChatPromptTemplate

from coursekit import FakeStreamingChatModel

prompt = ChatPromptTemplate.from_messages([
    ("system", 'Answer with one JSON object with the keys "topic", "summary", "key_points" (a list of strings) and "confidence" (0 to 1).'),
    ("human", "{question}"),
])
inputs = {"question": "Why stream JSON?"}
# json_fault spoils the fake's JSON the way real models do; None is the good answer.
FAULTS = [None, "prose", "fenced", "truncated", "mismatch"]


def ends(text: str) -> str:
    """The start and the end of what the model wrote, on one line."""
    flat = text.replace("\n", "⏎")
    return f"{flat[:28]!r} … {flat[-26:]!r}"


def keys(value: object) -> str:
    return f"an object with {', '.join(value)}" if isinstance(value, dict) else repr(value)


async def main() -> None:
    for fault in FAULTS:
        model = FakeStreamingChatModel(json_fault=fault)
        chain = prompt | model | JsonOutputParser()
        message = await (prompt | model).ainvoke(inputs)
        print(f"--- json_fault={fault!r}  (finish_reason={message.response_metadata['finish_reason']!r})")
        print(f"  the model wrote  {ends(message.text)}")

        partials, raised = [], "no error"
        try:
            async for partial in chain.astream(inputs):
                partials.append(partial)
        except Exception as error:  # only to show what a loop would see
            raised = f"raises {type(error).__name__}"
        last = f", the last is {keys(partials[-1])}" if partials else ""
        print(f"  astream()        {len(partials)} partial objects, {raised}{last}")
        try:
            print(f"  ainvoke()        no error, {keys(await chain.ainvoke(inputs))}")
        except Exception as error:
            print(f"  ainvoke()        raises {type(error).__name__}")


asyncio.run(main())

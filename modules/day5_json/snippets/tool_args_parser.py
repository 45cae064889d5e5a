# Fake model only: ChatMaritaca 0.4.1 cannot stream a tool call (day 4), and the stream of one is the lesson here.
"""JsonOutputKeyToolsParser streams a tool call's arguments as growing partial dicts, before the call is finished."""

import asyncio

from langchain_core.output_parsers.openai_tools import JsonOutputKeyToolsParser
from langchain_core.tools import tool

from coursekit import get_chat_model


@tool
def save_note(topic: str, summary: str, confidence: float) -> str:
    """Save a short note about a topic."""
    return f"saved {topic!r}"


model = get_chat_model(latency="realistic").bind_tools([save_note], tool_choice="save_note")
question = "Note 'Streaming JSON' at 0.9: 'Partial objects arrive while the model writes'"


async def main() -> None:
    chain = model | JsonOutputKeyToolsParser(key_name="save_note", first_tool_only=True)
    partials = []
    async for args in chain.astream(question):
        partials.append(args)
        print(f"{len(partials):>2}  {args}")
    print(f"\n{len(partials)} partial argument dicts, the first {partials[0]}; the last is what the tool gets.")
    everything = [call async for call in (model | JsonOutputKeyToolsParser(key_name="save_note")).astream(question)]
    print(f"Without first_tool_only, each chunk is a list of calls: {everything[-1]}")


asyncio.run(main())

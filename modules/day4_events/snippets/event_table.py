"""The events of prompt | model | parser, printed from a real run: which step sends what, and when."""

import asyncio

from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate

from coursekit import get_chat_model

chain = ChatPromptTemplate.from_template("Explain {topic} in two sentences.") | get_chat_model() | StrOutputParser()
SHOWN_CHUNKS = 2  # rows for the first chunks only: every later chunk repeats the same three events


def data_of(event: dict) -> str:
    """What the event's data holds; for a chunk, its text."""
    data = event["data"]
    if "chunk" in data:
        return f"chunk {getattr(data['chunk'], 'text', data['chunk'])!r}"
    return ", ".join(sorted(data)) or "(nothing)"


async def main() -> None:
    print(f"{'#':>3}  {'event':<21} {'name':<23} {'tags':<11} data")
    number = model_chunks = hidden = 0
    async for event in chain.astream_events({"topic": "events"}):
        number += 1
        model_chunks += event["event"] == "on_chat_model_stream"
        if event["event"].endswith("_stream") and model_chunks > SHOWN_CHUNKS:
            hidden += 1
            continue
        if hidden:
            print(f"     ... {hidden} rows: the same three events for each of the next {hidden // 3} chunks")
            hidden = 0
        tags = ",".join(event["tags"]) or "-"
        print(f"{number:>3}  {event['event']:<21} {event['name']:<23} {tags:<11} {data_of(event)}")
    print(f"The model sent {model_chunks} chunks, with text or with metadata only.")


asyncio.run(main())

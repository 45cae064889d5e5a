"""The seven fields of an astream_events() event, and what data holds at a model's start, chunks and end."""

import asyncio

from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate

from coursekit import get_chat_model

chain = ChatPromptTemplate.from_template("Explain {topic} in two sentences.") | get_chat_model() | StrOutputParser()
runs: dict[str, str] = {}  # run_id -> "run 1", "run 2"...: a UUID is long, and new on every run


def label(run_id: str) -> str:
    return runs.setdefault(run_id, f"run {len(runs) + 1}")


def shown(field: str, value: object) -> str:
    if field == "run_id":
        return f"{label(value)}  (a UUID)"
    if field == "parent_ids":
        return f"{[label(parent) for parent in value]}  (root first)"
    if field == "metadata":
        return f"ls_provider={value['ls_provider']!r}, ls_model_name={value['ls_model_name']!r}, and {len(value) - 2} more"
    if field == "data":
        return f"{{'chunk': {type(value['chunk']).__name__}(text={value['chunk'].text!r}, ...)}}"
    return repr(value)


async def main() -> None:
    first: dict[str, dict] = {}  # the first event of each kind the model sends (a chunk: with text)
    async for event in chain.astream_events({"topic": "events"}):
        label(event["run_id"])  # numbered in the order the runs start
        kind = event["event"]
        if kind.startswith("on_chat_model") and (kind != "on_chat_model_stream" or event["data"]["chunk"].text):
            first.setdefault(kind, event)

    chunk_event = first["on_chat_model_stream"]
    print("The model's first text chunk, as an event:")
    for field in ("event", "name", "run_id", "parent_ids", "tags", "metadata", "data"):
        print(f"  {field:<11} {shown(field, chunk_event[field])}")

    start, end = first["on_chat_model_start"], first["on_chat_model_end"]
    print(f"\nIts start and end events share its run_id: {start['run_id'] == chunk_event['run_id'] == end['run_id']}")
    (conversation,) = start["data"]["input"]["messages"]
    print(f"on_chat_model_start  data['input']['messages']: 1 conversation, {[message.type for message in conversation]}")
    output = end["data"]["output"]
    finish_reason = output.response_metadata.get("finish_reason")
    print(f"on_chat_model_end    data['output']: the sum of the chunks, {type(output).__name__}, finish_reason={finish_reason!r}")


asyncio.run(main())

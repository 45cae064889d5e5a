"""Name a step with run_name; tag a sub-chain, and every step inside it carries the tag."""

import asyncio

from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate

from coursekit import get_chat_model

model = get_chat_model()
draft = ChatPromptTemplate.from_template("Draft two sentences about {topic}.") | model | StrOutputParser()
improve = ChatPromptTemplate.from_template("Improve this text: {draft}") | model | StrOutputParser()

chain = (
    {"draft": draft.with_config(run_name="draft", tags=["draft"])}
    | improve.with_config(run_name="final", tags=["final"])
).with_config(run_name="writer")


async def main() -> None:
    names, tagged = [], []
    final_text = ""
    async for event in chain.astream_events({"topic": "tags"}):
        if event["event"].endswith("_start"):
            names.append(event["name"])
        if "final" in event["tags"] and event["event"].endswith("_start"):
            tagged.append(f"{event['name']} {event['tags']}")
        if event["event"] == "on_chat_model_stream" and "final" in event["tags"]:
            final_text += event["data"]["chunk"].text
    print("Steps, as they start:", ", ".join(names))
    print("Starts that carry the 'final' tag:")
    for line in tagged:
        print("   ", line)
    print(f"The final model's tokens, picked by tag: {final_text[:60]!r}...")
    only_final = [event async for event in chain.astream_events({"topic": "tags"}, include_tags=["final"])]
    print(f"include_tags=['final'] keeps {len(only_final)} events, from: {sorted({event['name'] for event in only_final})}")


asyncio.run(main())

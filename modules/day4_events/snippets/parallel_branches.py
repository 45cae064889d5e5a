"""Two models streaming at once in a RunnableParallel: their tokens told apart by run_id, name or parent_ids."""

import asyncio
from collections import defaultdict

from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnableParallel

from coursekit import get_chat_model

model = get_chat_model(latency="0.2,0.02")  # a pause before the first token, when it is the fake
chain = RunnableParallel(
    short=ChatPromptTemplate.from_template("Explain {topic} in one line.") | model.with_config(run_name="short_model"),
    long=ChatPromptTemplate.from_template("Explain {topic} in detail.") | model.with_config(run_name="long_model"),
)


async def main() -> None:
    by_run_id: dict[str, str] = defaultdict(str)
    by_name: dict[str, str] = defaultdict(str)
    by_branch: dict[str, str] = defaultdict(str)
    branch_of: dict[str, str] = {}  # run_id of a branch -> its key, from the tag "map:key:<key>"
    order: list[str] = []
    async for event in chain.astream_events({"topic": "parallel streams"}):
        for tag in event["tags"]:
            if tag.startswith("map:key:"):
                branch_of[event["run_id"]] = tag.removeprefix("map:key:")
        if event["event"] == "on_chat_model_stream" and (text := event["data"]["chunk"].text):
            by_run_id[event["run_id"]] += text
            by_name[event["name"]] += text
            by_branch[branch_of[event["parent_ids"][-1]]] += text  # the model's parent is its branch
            order.append(event["name"])

    switches = sum(1 for before, after in zip(order, order[1:]) if before != after)
    print(f"{len(order)} text chunks from 2 models; the stream switched models {switches} times")
    print(f"by run_id:     {len(by_run_id)} runs, {sorted(len(text) for text in by_run_id.values())} characters")
    for name, text in sorted(by_name.items()):
        print(f"by name:       {name:<11} {text[:50]!r}...")
    for branch, text in sorted(by_branch.items()):
        print(f"by parent_ids: {branch:<11} {text[:50]!r}...")
    print(f"the same texts all three ways: {sorted(by_run_id.values()) == sorted(by_name.values()) == sorted(by_branch.values())}")


asyncio.run(main())

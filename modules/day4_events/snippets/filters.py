"""astream_events() filters: the include_* filters are OR-ed, then the exclude_* filters remove events."""

import asyncio
from collections import Counter

from langchain_core.callbacks import adispatch_custom_event
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate

from coursekit import get_chat_model


async def publish(text: str) -> str:
    """The last step: it reports its progress with a custom event named "progress"."""
    await adispatch_custom_event("progress", {"stage": "published"})
    return text


prompt = ChatPromptTemplate.from_template("Explain {topic} in two sentences.")
chain = prompt | get_chat_model().with_config(run_name="writer") | StrOutputParser() | publish


async def seen(**filters: list[str]) -> None:
    """Which steps' events get through the filters, and how many of each kind."""
    counts: Counter[tuple[str, str]] = Counter()
    async for event in chain.astream_events({"topic": "filters"}, **filters):
        counts[event["name"], event["event"].removeprefix("on_")] += 1
    steps: dict[str, list[str]] = {}
    for (name, kind), count in counts.items():
        steps.setdefault(name, []).append(kind if count == 1 else f"{kind} x{count}")
    arguments = ", ".join(f"{key}={value}" for key, value in filters.items())
    print(f"{arguments}:")
    for name, kinds in steps.items():
        print(f"    {name:<17} {', '.join(kinds)}")


async def main() -> None:
    await seen(include_names=["writer"])
    await seen(include_names=["writer"], include_types=["parser"])  # writer OR a parser
    await seen(include_types=["chat_model", "parser"], exclude_names=["writer"])  # then minus writer
    await seen(include_types=["chain"])  # a custom event's type is its own name: not "chain"
    await seen(include_types=["chain", "progress"])


asyncio.run(main())

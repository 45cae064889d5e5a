"""Progress from inside a step with custom events, and the error you get with no run to attach them to."""

import asyncio

from langchain_core.callbacks import adispatch_custom_event, dispatch_custom_event
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate

from coursekit import get_chat_model

NOTES = [
    "astream() yields what the last step of a chain yields.",
    "astream_events() reports every step: its start, its chunks, its end.",
    "Filters choose the events by name, type or tag.",
]
model = get_chat_model(latency="0.3,0.02")  # a pause before the first token, when it is the fake
summarise = ChatPromptTemplate.from_template("Summarise in a few words: {note}") | model | StrOutputParser()


async def read_notes(question: str) -> dict:
    """A slow step, one model call per note: it tells the caller how far it got after each one."""
    summaries = []
    for number, note in enumerate(NOTES, start=1):
        summaries.append(await summarise.ainvoke({"note": note}))
        await adispatch_custom_event("progress", {"notes_read": number, "of": len(NOTES)})
    return {"question": question, "notes": "\n".join(summaries)}


def count_words(answer: str) -> str:
    """A sync step dispatches with dispatch_custom_event, the same event without await."""
    dispatch_custom_event("progress", {"words": len(answer.split())})
    return answer


answer = ChatPromptTemplate.from_template("Using these notes:\n{notes}\nanswer: {question}") | model.with_config(run_name="answer")
chain = read_notes | answer | StrOutputParser() | count_words


async def main() -> None:
    events = chain.astream_events("What do events show?", include_types=["progress"], include_names=["answer"])
    async for event in events:
        if event["event"] == "on_custom_event":
            print(f"[{event['name']}: {event['data']}]")
        elif event["event"] == "on_chat_model_stream":
            print(event["data"]["chunk"].text, end="", flush=True)
            if event["data"]["chunk"].chunk_position == "last":
                print()

    try:
        await adispatch_custom_event("progress", {"notes_read": 0})  # not inside any step
    except RuntimeError as error:
        print(f"Outside a run: RuntimeError: {str(error).split('.')[0]}.")


asyncio.run(main())

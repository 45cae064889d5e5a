"""Two chains whose astream() hides the model's tokens, and the same tokens found with astream_events()."""

import asyncio

from langchain_core.output_parsers import PydanticOutputParser, StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable
from pydantic import BaseModel

from coursekit import get_chat_model

model = get_chat_model(latency="realistic")  # paced like a hosted model, when it is the fake
inputs = {"topic": "a long chat answer"}


def add_footer(text: str) -> str:
    """A plain function receives the finished text, so the chain's own stream stops here."""
    return text + "\n(checked by the editor)"


class Verdict(BaseModel):
    topic: str
    worth_streaming: bool


parser = PydanticOutputParser(pydantic_object=Verdict)
explain = ChatPromptTemplate.from_template("Explain {topic} in two sentences.") | model | StrOutputParser() | add_footer
judge = (
    ChatPromptTemplate.from_messages([("system", "{format}"), ("human", "Is '{topic}' worth streaming?")]).partial(
        format=parser.get_format_instructions()
    )
    | model
    | parser
)


async def watch_tokens(chain: Runnable) -> object:
    """Print the model's tokens as they come; return the chain's own output, from its last event."""
    async for event in chain.astream_events(inputs):
        if event["event"] == "on_chat_model_stream":
            print(event["data"]["chunk"].text, end="", flush=True)
        elif event["event"] == "on_chain_end" and not event["parent_ids"]:  # the chain itself, not a step
            output = event["data"]["output"]
    print()
    return output


async def main() -> None:
    chunks = [chunk async for chunk in explain.astream(inputs)]
    print(f"explain.astream(): {len(chunks)} chunk, once the whole answer is written")
    print("explain.astream_events(), the model's tokens as they are written:")
    output = await watch_tokens(explain)
    print(f"...and the chain's output: {output.splitlines()[-1]!r} at the end\n")

    objects = [verdict async for verdict in judge.astream(inputs)]
    print(f"judge.astream(): {len(objects)} x {type(objects[-1]).__name__} and not one token of text")
    print("judge.astream_events(), the model's tokens:")
    verdict = await watch_tokens(judge)
    print(f"...and the chain's output: {verdict!r}")


asyncio.run(main())

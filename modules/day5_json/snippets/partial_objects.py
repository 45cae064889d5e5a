"""JsonOutputParser streams growing partial dicts: a new one each time the parsed object changes, strings included."""

import asyncio

from langchain_core.output_parsers import JsonOutputParser
from langchain_core.prompts import ChatPromptTemplate

from coursekit import get_chat_model

prompt = ChatPromptTemplate.from_messages([
    ("system", 'Answer with one JSON object with the keys "topic", "summary", "key_points" (a list of strings) and "confidence" (0 to 1).'),
    ("human", "{question}"),
])
model = get_chat_model(latency="realistic")  # paced like a hosted model, when it is the fake
chain = prompt | model | JsonOutputParser()


def shown(partial: dict) -> str:
    """The whole partial when it fits on a line; else the key being written, after the finished ones."""
    if len(repr(partial)) <= 90:
        return repr(partial)
    *done, last = partial
    return f"{{…{len(done)} keys, {last!r}: {partial[last]!r}}}"


async def main() -> None:
    partials = []
    async for partial in chain.astream({"question": "Why stream JSON?"}):
        partials.append(partial)
        print(f"{len(partials):>2}  {shown(partial)}")

    print(f"\n{len(partials)} partial objects. The first is {partials[0]}, before any key is written.")
    summaries = list(dict.fromkeys(p["summary"] for p in partials if "summary" in p))
    print(f"The summary went through {len(summaries)} values, from {summaries[0]!r} to {summaries[-1]!r}.")
    confidences = list(dict.fromkeys(p["confidence"] for p in partials if "confidence" in p))
    print(f"The confidence was {' then '.join(map(str, confidences))}: a number cut short is another number.")
    print("Each partial is a new dict:", all(a is not b for a, b in zip(partials, partials[1:])))
    print("The last one is the whole answer:", partials[-1])


asyncio.run(main())

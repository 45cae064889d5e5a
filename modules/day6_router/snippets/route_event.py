"""The route first, then the tokens: a custom "route" event before the first token, and the time to first token it costs."""

import asyncio
import time
from typing import Literal

from langchain_core.callbacks import adispatch_custom_event
from langchain_core.output_parsers import PydanticOutputParser, StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable, RunnableLambda, RunnablePassthrough
from pydantic import BaseModel, Field

from coursekit import get_chat_model

llm = get_chat_model(latency="0.3,0.02")  # paced like a hosted model, when it is the fake
routes = {
    "math": ChatPromptTemplate.from_template("You are a mathematician. Solve it step by step.\nProblem: {input}") | llm | StrOutputParser(),
    "code": ChatPromptTemplate.from_template("You are a senior programmer. Write clean code with comments.\nRequest: {input}") | llm | StrOutputParser(),
    "general": ChatPromptTemplate.from_template("You are a helpful assistant. Answer clearly.\nQuestion: {input}") | llm | StrOutputParser(),
}


class Route(BaseModel):
    category: Literal["math", "code", "general"] = Field(description="Category of the question")


# json_mode: the object comes as text, which every client can stream (ChatMaritaca cannot stream a tool call).
instructions = PydanticOutputParser(pydantic_object=Route).get_format_instructions()
classify_prompt = ChatPromptTemplate.from_template("Classify this question: {input}\n{instructions}").partial(instructions=instructions)
classifier = (classify_prompt | llm.with_structured_output(Route, method="json_mode")).with_config(tags=["classifier"])


async def pick_chain(data: dict) -> Runnable:
    category = data["route"].category
    await adispatch_custom_event("route", {"category": category})  # inside the run: it reaches astream_events
    return routes[category].with_config(tags=["answer"])


router = RunnablePassthrough.assign(route=classifier) | RunnableLambda(pick_chain)


async def main() -> None:
    question = "What is 25 * 17?"
    start = time.perf_counter()
    route_at = first_at = None
    tokens = 0
    async for event in router.astream_events({"input": question}, version="v2", include_tags=["answer"], include_types=["route"]):
        now = time.perf_counter() - start
        if event["event"] == "on_custom_event":
            route_at = now
            print(f"{now:5.2f} s  route  {event['data']['category']}")
        elif event["event"] == "on_chat_model_stream" and event["data"]["chunk"].text:
            tokens += 1
            if first_at is None:
                first_at = now
                print(f"{now:5.2f} s  first token {event['data']['chunk'].text!r}")
    print(f"{time.perf_counter() - start:5.2f} s  done, {tokens} tokens")
    print(f"The route came {'before' if route_at < first_at else 'after'} the first token.")

    start = time.perf_counter()
    async for _ in routes["math"].astream({"input": question}):
        alone = time.perf_counter() - start
        break
    print(f"Time to first token: {first_at:.2f} s through the router, {alone:.2f} s for the math chain alone:")
    print(f"the classification adds {first_at - alone:.2f} s before the reader sees anything.")


asyncio.run(main())

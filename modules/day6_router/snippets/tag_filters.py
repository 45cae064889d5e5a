"""Tag filters: the classifier's JSON is a model's tokens too; a tag keeps it out of the answer's token events."""

import asyncio
from typing import Literal

from langchain_core.output_parsers import PydanticOutputParser, StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable, RunnableLambda, RunnablePassthrough
from pydantic import BaseModel, Field

from coursekit import get_chat_model

llm = get_chat_model()
routes = {
    "math": ChatPromptTemplate.from_template("You are a mathematician. Solve it step by step.\nProblem: {input}") | llm | StrOutputParser(),
    "code": ChatPromptTemplate.from_template("You are a senior programmer. Write clean code with comments.\nRequest: {input}") | llm | StrOutputParser(),
    "general": ChatPromptTemplate.from_template("You are a helpful assistant. Answer clearly.\nQuestion: {input}") | llm | StrOutputParser(),
}


class Route(BaseModel):
    category: Literal["math", "code", "general"] = Field(description="Category of the question")


# json_mode: the object comes as text, as with ChatOpenAI's default method, and every client can stream it.
instructions = PydanticOutputParser(pydantic_object=Route).get_format_instructions()
classify_prompt = ChatPromptTemplate.from_template("Classify this question: {input}\n{instructions}").partial(instructions=instructions)
classifier = (classify_prompt | llm.with_structured_output(Route, method="json_mode")).with_config(tags=["classifier"])


def pick_chain(data: dict) -> Runnable:
    return routes[data["route"].category].with_config(tags=["answer"])


router = RunnablePassthrough.assign(route=classifier) | RunnableLambda(pick_chain)


async def token_text(**filters: list[str]) -> tuple[int, str]:
    """What a naive endpoint would send as tokens: the text of every on_chat_model_stream event that passes the filters."""
    texts = [
        event["data"]["chunk"].text
        async for event in router.astream_events({"input": "What is 25 * 17?"}, version="v2", **filters)
        if event["event"] == "on_chat_model_stream" and event["data"]["chunk"].text
    ]
    return len(texts), "".join(texts)


async def main() -> None:
    for label, filters in (
        ("no filter", {}),
        ("exclude_tags=['classifier']", {"exclude_tags": ["classifier"]}),
        ("include_tags=['answer']", {"include_tags": ["answer"]}),
    ):
        count, text = await token_text(**filters)
        shown = text if len(text) <= 60 else text[:60] + "…"
        print(f"{label:<28} {count:>3} token events: {shown!r}")


asyncio.run(main())

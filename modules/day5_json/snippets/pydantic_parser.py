"""PydanticOutputParser yields nothing until a partial object validates: required fields hold it back, optional ones let it stream."""

import asyncio

from langchain_core.output_parsers import PydanticOutputParser
from langchain_core.prompts import ChatPromptTemplate
from pydantic import BaseModel

from coursekit import get_chat_model


class Note(BaseModel):
    """Every field required, the last one a number."""

    topic: str
    summary: str
    confidence: float


class Draft(BaseModel):
    """The same fields, all optional."""

    topic: str | None = None
    summary: str | None = None
    confidence: float | None = None


class SummaryLast(BaseModel):
    """Every field required, the last one a string."""

    topic: str
    confidence: float
    summary: str


model = get_chat_model()
question = "Note 'Streaming JSON' at 0.9: 'Partial objects arrive while the model writes'"


async def main() -> None:
    for schema in (Note, Draft, SummaryLast):
        parser = PydanticOutputParser(pydantic_object=schema)
        prompt = ChatPromptTemplate.from_messages([("system", "{format}"), ("human", "{question}")])
        chain = prompt.partial(format=parser.get_format_instructions()) | model | parser
        objects = [item async for item in chain.astream({"question": question})]
        print(f"{schema.__name__}: {len(objects)} object(s)")
        for item in objects[:3]:
            print(f"  {item!r}")
        if len(objects) > 3:
            print(f"  ... and the last: {objects[-1]!r}")


asyncio.run(main())

"""Show the partial objects as they come, then validate the last one with Pydantic and turn a failure into a clear error."""

import asyncio

from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import JsonOutputParser
from langchain_core.prompts import ChatPromptTemplate
from pydantic import BaseModel, Field, ValidationError

from coursekit import FakeStreamingChatModel

prompt = ChatPromptTemplate.from_messages([
    ("system", 'Answer with one JSON object with the keys "topic", "summary", "key_points" (a list of strings) and "confidence" (0 to 1).'),
    ("human", "{question}"),
])


class Note(BaseModel):
    topic: str
    summary: str
    key_points: list[str] = Field(min_length=1)
    confidence: float = Field(ge=0, le=1)


class BadAnswer(Exception):
    """The model finished, and what it wrote is not a Note: one sentence a person can act on."""


async def show_note(model: BaseChatModel, question: str) -> Note:
    """Show each partial object while the model writes, then return the finished, checked Note."""
    last, shown = None, 0
    async for partial in (prompt | model | JsonOutputParser()).astream({"question": question}):
        last, shown = partial, shown + 1  # a page would redraw its fields here
    if last is None:
        raise BadAnswer(f"the answer holds no JSON object ({shown} partial objects shown)")
    try:
        return Note.model_validate(last)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'the answer'}: {e['msg']}" for e in error.errors())
        raise BadAnswer(f"the answer is not a Note ({shown} partial objects shown): {problems}") from error


async def main() -> None:
    for fault in [None, "prose", "truncated", "mismatch"]:
        model = FakeStreamingChatModel(json_fault=fault)  # None: the good answer
        try:
            note = await show_note(model, "Why stream JSON?")
            print(f"{fault!s:<9}  a Note: {note.topic!r}, {len(note.key_points)} key points, confidence {note.confidence}")
        except BadAnswer as error:
            print(f"{fault!s:<9}  BadAnswer: {error}")


asyncio.run(main())

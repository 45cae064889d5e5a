"""with_structured_output: partial dicts for a JSON schema; for a Pydantic model, only objects that validate, or only the final one.

json_mode sends the model no schema, so its prompt carries the format instructions.
"""

import asyncio

from langchain_core.output_parsers import PydanticOutputParser
from pydantic import BaseModel

from coursekit import get_chat_model


class Note(BaseModel):
    """A short note about a topic."""

    topic: str
    summary: str
    confidence: float


model = get_chat_model()
question = "Note 'Streaming JSON' at 0.9: 'Partial objects arrive while the model writes'"
described = f"{question}\n{PydanticOutputParser(pydantic_object=Note).get_format_instructions()}"


def tail(value: object, width: int = 44) -> str:
    """The end of the repr, where a partial object changes last."""
    text = repr(value)
    return text if len(text) <= width else "…" + text[1 - width :]


async def main() -> None:
    print(f"{'method':<17} {'schema':<12} chunks  {'first':<44}  last")
    for method in ("function_calling", "json_schema", "json_mode"):
        for label, schema in (("JSON schema", Note.model_json_schema()), ("Pydantic", Note)):
            try:
                structured = model.with_structured_output(schema, method=method)
                prompt = described if method == "json_mode" else question
                chunks = [chunk async for chunk in structured.astream(prompt)]
            except Exception as error:  # not every client supports every method: see the notes below
                print(f"{method:<17} {label:<12} fails: {type(error).__name__}")
                continue
            print(f"{method:<17} {label:<12} {len(chunks):>6}  {tail(chunks[0]):<44}  {tail(chunks[-1], 25)}")


asyncio.run(main())

"""with_structured_output: partial dicts for a JSON schema; for a Pydantic model, only objects that validate, or only the final one."""

import asyncio

from pydantic import BaseModel

from coursekit import get_chat_model


class Note(BaseModel):
    """A short note about a topic."""

    topic: str
    summary: str
    confidence: float


model = get_chat_model()
question = "Note 'Streaming JSON' at 0.9: 'Partial objects arrive while the model writes'"


def tail(value: object, width: int = 44) -> str:
    """The end of the repr, where a partial object changes last."""
    text = repr(value)
    return text if len(text) <= width else "…" + text[1 - width :]


async def main() -> None:
    print(f"{'method':<17} {'schema':<12} chunks  {'first':<44}  last")
    for method in ("function_calling", "json_schema"):
        for label, schema in (("JSON schema", Note.model_json_schema()), ("Pydantic", Note)):
            try:
                structured = model.with_structured_output(schema, method=method)
                chunks = [chunk async for chunk in structured.astream(question)]
            except Exception as error:  # not every client supports every method: see the notes below
                print(f"{method:<17} {label:<12} fails: {type(error).__name__}")
                continue
            print(f"{method:<17} {label:<12} {len(chunks):>6}  {tail(chunks[0]):<44}  {tail(chunks[-1], 25)}")


asyncio.run(main())

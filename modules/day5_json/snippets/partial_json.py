"""parse_partial_json on its own: what it makes of JSON cut short, and the loop JsonOutputParser runs for you."""

import asyncio
import json

from langchain_core.prompts import ChatPromptTemplate
from langchain_core.utils.json import parse_json_markdown, parse_partial_json

from coursekit import get_chat_model

CUT_SHORT = [
    '{"',
    '{"city',
    '{"city":',
    '{"city": "Reci',
    '{"city": "Recife", "tags": ["beach", "fo',
    '{"city": "Recife", "people": 1',
    '{"city": "Recife", "people": 1.',
    '{"city": "Recife", "people": 1.6, "coastal": tr',
    '{"city": "Recife"}}',
    '```json\n{"city": "Recife"',
    'Sure! {"city": "Recife"}',
]

prompt = ChatPromptTemplate.from_messages([
    ("system", 'Answer with one JSON object with the keys "topic", "summary", "key_points" (a list of strings) and "confidence" (0 to 1).'),
    ("human", "{question}"),
])
model = get_chat_model()


def attempt(parse, text: str) -> str:
    try:
        return repr(parse(text))
    except json.JSONDecodeError:
        return "raises JSONDecodeError"


async def main() -> None:
    for text in CUT_SHORT:
        print(f"{text!r:<50} -> {attempt(parse_partial_json, text)}")
    print("parse_json_markdown, which JsonOutputParser calls, also looks inside a Markdown fence:")
    for text in CUT_SHORT[-2:]:
        print(f"{text!r:<50} -> {attempt(parse_json_markdown, text)}")

    # By hand: add the chunks up, and parse the text so far after each one.
    message, shown = None, []
    async for chunk in (prompt | model).astream({"question": "Why stream JSON?"}):
        message = chunk if message is None else message + chunk
        try:
            partial = parse_json_markdown(message.text)
        except json.JSONDecodeError:
            partial = None  # what JsonOutputParser does while it streams: no partial, and no error
        if partial is not None and (not shown or partial != shown[-1]):
            shown.append(partial)
    print(f"\n{len(shown)} different partial objects, the first {shown[0]}, the last with the keys {list(shown[-1])}")
    print(f"finish_reason: {message.response_metadata.get('finish_reason')}, which the parser's partial objects do not carry")


asyncio.run(main())

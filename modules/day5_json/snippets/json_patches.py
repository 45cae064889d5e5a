"""JsonOutputParser(diff=True) yields RFC 6902 JSON Patch operations; jsonpatch applies them and rebuilds the object exactly."""

import asyncio
import json

import jsonpatch
from langchain_core.output_parsers import JsonOutputParser
from langchain_core.prompts import ChatPromptTemplate

from coursekit import get_chat_model

prompt = ChatPromptTemplate.from_messages([
    ("system", 'Answer with one JSON object with the keys "topic", "summary", "key_points" (a list of strings) and "confidence" (0 to 1).'),
    ("human", "{question}"),
])
model = get_chat_model()
inputs = {"question": "Why stream JSON?"}


async def main() -> None:
    document = None  # what a client holds: nothing before the first patch
    patches = []
    async for patch in (prompt | model | JsonOutputParser(diff=True)).astream(inputs):
        patches.append(patch)
        document = jsonpatch.apply_patch(document, patch)  # a new document; the old one is left as it was
        if len(patches) <= 9:
            print(f"{len(patches):>2}  {json.dumps(patch, ensure_ascii=False)}")
    print("    ...")
    for number, patch in enumerate(patches[-3:], start=len(patches) - 2):
        print(f"{number:>2}  {json.dumps(patch, ensure_ascii=False)}")

    final = await (prompt | model | JsonOutputParser()).ainvoke(inputs)
    print(f"\n{len(patches)} patches, each a list of {' or '.join(str(n) for n in sorted({len(p) for p in patches}))} operation(s).")
    print(f"The first replaces the whole document (path ''): {patches[0]}")
    operations = [operation for patch in patches for operation in patch]
    print(f"Operations used: {sorted({operation['op'] for operation in operations})}")
    summary = [operation["value"] for operation in operations if operation["path"] == "/summary"]
    print(f"The summary was sent {len(summary)} times, whole each time; the last time {len(summary[-1])} characters.")
    print("Applying every patch rebuilds the final object exactly:", document == final)
    sent = sum(len(json.dumps(patch)) for patch in patches)
    whole = sum([len(json.dumps(partial)) async for partial in (prompt | model | JsonOutputParser()).astream(inputs)])
    print(f"Bytes sent: {sent} as patches, {whole} as whole partial objects.")


asyncio.run(main())

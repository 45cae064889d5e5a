"""Collect a stream: join the text, or add the chunks up into one message with its metadata."""

from langchain_core.messages import AIMessageChunk

from coursekit import get_chat_model

model = get_chat_model()
QUESTION = "Explain streaming in one paragraph."

# Only the text? Join the pieces.
pieces = [chunk.text for chunk in model.stream(QUESTION)]
print("".join(pieces))
print(f"({len(pieces)} chunks)\n")

# The whole message? AIMessageChunk supports +: text, metadata and token usage are merged.
full: AIMessageChunk | None = None
last: AIMessageChunk | None = None
for chunk in model.stream(QUESTION):
    full = chunk if full is None else full + chunk
    last = chunk

# Each provider spreads the metadata over different chunks; the last one may carry none of it.
print(f"last chunk: text={last.text!r}, chunk_position={last.chunk_position!r}, metadata={last.response_metadata}")
# The sum holds whatever any chunk carried.
print("finish_reason:", full.response_metadata.get("finish_reason"))
# OpenAI reports "model_name", Maritaca "model": ask for both.
print("model:", full.response_metadata.get("model_name") or full.response_metadata.get("model"))
print("usage:", full.usage_metadata)  # None when the provider sends no usage while streaming
print(f"the sum has all {len(full.text)} characters")

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

print(f"last chunk: text={last.text!r}, chunk_position={last.chunk_position!r}")
print("finish_reason:", last.response_metadata.get("finish_reason"))
# OpenAI reports "model_name", Maritaca "model": ask for both.
print("model:", last.response_metadata.get("model_name") or last.response_metadata.get("model"))
print("usage:", last.usage_metadata)
# Some providers send usage in a chunk of its own; the sum always holds everything.
print("the sum has it all:", full.usage_metadata == last.usage_metadata, f"and {len(full.text)} characters")

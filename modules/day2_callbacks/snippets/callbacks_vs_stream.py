"""Iterate over stream() for what you show; use a callback for what you only observe."""

from langchain_core.callbacks import get_usage_metadata_callback
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate

from coursekit import FakeStreamingChatModel

prompt = ChatPromptTemplate.from_template("Summarise {topic} in one line.")
model = FakeStreamingChatModel(responses=["Rivers carve valleys, one grain at a time."])
chain = prompt | model | StrOutputParser()

# The loop owns the text: it prints it, could filter it, and could `break` to stop early.
# The parser yields plain strings, so the model's usage numbers never reach this loop...
with get_usage_metadata_callback() as usage:
    for piece in chain.stream({"topic": "rivers"}):
        print(piece, end="", flush=True)
print()

# ...but a callback sees inside the chain: LangChain's built-in usage handler was listening.
print(usage.usage_metadata)

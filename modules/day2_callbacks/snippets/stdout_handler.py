"""StreamingStdOutCallbackHandler prints tokens during invoke() only when the model streams."""

from langchain_core.callbacks import StreamingStdOutCallbackHandler

from coursekit import FakeStreamingChatModel

REPLY = "Callbacks let your code watch an answer being written."
QUESTION = "What is a callback?"

# Without streaming=True, invoke() asks for the whole answer at once: no token ever
# reaches the handler, so it has nothing to print.
whole = FakeStreamingChatModel(responses=[REPLY], callbacks=[StreamingStdOutCallbackHandler()])
print("streaming not set -> ", end="")
answer = whole.invoke(QUESTION)
print(f"(nothing printed, yet invoke() returned {len(answer.content)} characters)")

# With streaming=True, invoke() streams under the hood and the handler prints each token.
live = FakeStreamingChatModel(
    responses=[REPLY],
    streaming=True,
    callbacks=[StreamingStdOutCallbackHandler()],
    latency="realistic",
)
print("streaming=True    -> ", end="")
live.invoke(QUESTION)
print()

# Careful: an explicit streaming=False switches streaming off for stream() as well.
off = FakeStreamingChatModel(responses=[REPLY], streaming=False)
print(f"streaming=False: stream() gave {len(list(off.stream(QUESTION)))} chunk")

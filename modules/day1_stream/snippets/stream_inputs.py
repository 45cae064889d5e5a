"""stream() takes the same input as invoke(): a string, (role, text) tuples, or message objects."""

from collections.abc import Iterator

from langchain_core.messages import AIMessageChunk, HumanMessage, SystemMessage

from coursekit import get_chat_model

model = get_chat_model()


def print_stream(chunks: Iterator[AIMessageChunk]) -> None:
    """Print each piece the moment it arrives.

    flush=True pushes the text to the screen now instead of when a line is complete; chunks
    with no text (those that open the stream or carry only metadata) are skipped.
    """
    for chunk in chunks:
        if chunk.text:
            print(chunk.text, end="", flush=True)
    print("\n")


# 1. A string: one message from the user.
print_stream(model.stream("What is streaming?"))

# 2. (role, text) tuples: "system", "human" (or "user") and "ai" (or "assistant").
print_stream(
    model.stream(
        [
            ("system", "You are a patient teacher. Answer in two sentences."),
            ("human", "What does streaming change for the user?"),
        ]
    )
)

# 3. Message objects: what the two forms above are turned into.
print_stream(
    model.stream(
        [
            SystemMessage("You are a patient teacher. Answer in two sentences."),
            HumanMessage("What does streaming change for the user?"),
        ]
    )
)

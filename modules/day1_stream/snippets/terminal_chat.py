"""A terminal chat that streams each answer and remembers the conversation.

Type a question and press Enter. An empty line or Ctrl-D ends the chat.
"""

from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage, SystemMessage

from coursekit import get_chat_model


def read_question() -> str:
    """The next question, or "" when the user is done (empty line, Ctrl-D or Ctrl-C)."""
    try:
        return input("you> ").strip()
    except (EOFError, KeyboardInterrupt):
        return ""


def chat() -> list[BaseMessage]:
    model = get_chat_model()
    history: list[BaseMessage] = [SystemMessage("You are a friendly tutor. Keep your answers short.")]
    while question := read_question():
        history.append(HumanMessage(question))
        print("bot> ", end="", flush=True)
        answer: AIMessageChunk | None = None
        for chunk in model.stream(history):  # the whole history goes with every question
            print(chunk.text, end="", flush=True)
            answer = chunk if answer is None else answer + chunk
        print()
        history.append(AIMessage(answer.text))
        if answer.usage_metadata:
            print(f"     ({answer.usage_metadata['input_tokens']} tokens sent this turn)")
    return history


history = chat()
print(f"\nBye! The conversation had {len(history)} messages.")

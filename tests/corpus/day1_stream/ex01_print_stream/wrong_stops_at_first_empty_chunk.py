"""Stops at the first empty chunk, taking it for the end of the stream.

The guide says the last chunk has no text; the student reads that as "an empty chunk means done",
but providers also open the stream with an empty chunk.
"""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel


def print_stream(model: BaseChatModel, prompt: str) -> str:
    answer = ""
    for chunk in model.stream(prompt):
        if not chunk.text:
            break
        print(chunk.text, end="", flush=True)
        answer += chunk.text
    print()
    return answer

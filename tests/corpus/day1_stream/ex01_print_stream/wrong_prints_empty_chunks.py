"""Prints every chunk, including the empty ones that carry only metadata.

The student skips step 4: printing "" looks harmless, but each empty chunk is an empty flush.
"""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel


def print_stream(model: BaseChatModel, prompt: str) -> str:
    answer = ""
    for chunk in model.stream(prompt):
        print(chunk.text, end="", flush=True)
        answer += chunk.text
    print()
    return answer

"""Prints each chunk with end="" but without flush=True, so a terminal shows nothing until the end.

The student follows the loop and forgets the flush: in a file or a notebook it looks fine.
"""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel


def print_stream(model: BaseChatModel, prompt: str) -> str:
    answer = ""
    for chunk in model.stream(prompt):
        if chunk.text:
            print(chunk.text, end="")
            answer += chunk.text
    print()
    return answer

"""Collects the whole answer first and prints it only after the loop ends.

The student streams, but keeps the text to print it "cleanly" in one go.
"""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel


def print_stream(model: BaseChatModel, prompt: str) -> str:
    pieces = []
    for chunk in model.stream(prompt):
        pieces.append(chunk.text)
    answer = "".join(pieces)
    print(answer, flush=True)
    return answer

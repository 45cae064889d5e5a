"""Prints each chunk on its own line (print(chunk.text) without end="").

The student uses a plain print, which flushes fine in a terminal but breaks the answer into lines.
"""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel


def print_stream(model: BaseChatModel, prompt: str) -> str:
    answer = ""
    for chunk in model.stream(prompt):
        if chunk.text:
            print(chunk.text, flush=True)
            answer += chunk.text
    return answer

"""Treats whitespace-only chunks (a line break, a space) as empty and drops them.

The student tests emptiness with .strip(), which also throws away real tokens like "\n".
"""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel


def print_stream(model: BaseChatModel, prompt: str) -> str:
    answer = ""
    for chunk in model.stream(prompt):
        if chunk.text.strip():
            print(chunk.text, end="", flush=True)
            answer += chunk.text
    print()
    return answer

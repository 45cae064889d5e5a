"""Prints the stream, then calls the model a second time to get the text it returns.

The student finds joining the chunks fiddly and asks invoke() for the answer: two calls, two bills.
"""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel


def print_stream(model: BaseChatModel, prompt: str) -> str:
    for chunk in model.stream(prompt):
        if chunk.text:
            print(chunk.text, end="", flush=True)
    print()
    return model.invoke(prompt).text

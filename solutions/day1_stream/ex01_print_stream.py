"""Exercise 1 (solution): print an answer while the model is still writing it.

Each chunk is printed the moment it arrives, on one line, and flushed at once so a terminal
shows it; empty chunks (the opening one, the metadata-only ones at the end) are skipped, and
only they: ``if chunk.text:`` keeps a chunk that is just a space or a line break. The pieces are
joined once at the end, which is cheaper than growing a string with ``+=`` on long answers.
"""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel


def print_stream(model: BaseChatModel, prompt: str) -> str:
    """Print the answer to ``prompt`` chunk by chunk as it streams, then return the whole text."""
    pieces: list[str] = []
    for chunk in model.stream(prompt):
        if chunk.text:
            print(chunk.text, end="", flush=True)
            pieces.append(chunk.text)
    print()
    return "".join(pieces)

"""Writes straight to sys.stdout and flushes it by hand, growing the answer with +=."""

from __future__ import annotations

import sys

from langchain_core.language_models import BaseChatModel


def print_stream(model: BaseChatModel, prompt: str) -> str:
    answer = ""
    for chunk in model.stream(prompt):
        piece = chunk.text
        if not piece:
            continue
        sys.stdout.write(piece)
        sys.stdout.flush()
        answer += piece
    sys.stdout.write("\n")
    return answer

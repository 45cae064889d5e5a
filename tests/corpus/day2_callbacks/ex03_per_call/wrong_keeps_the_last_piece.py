"""Keeps the last piece of the stream instead of joining them.

The student wrote answer = piece in the loop, as if the stream sent the answer growing; with
StrOutputParser each piece is new text only, and the last one is empty.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.runnables import Runnable


def stream_answer(chain: Runnable[Any, str], inputs: dict[str, Any], callbacks: Sequence[BaseCallbackHandler]) -> str:
    answer = ""
    for piece in chain.stream(inputs, config={"callbacks": list(callbacks)}):
        answer = piece
    return answer

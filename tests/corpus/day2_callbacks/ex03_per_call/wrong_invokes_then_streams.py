"""Invokes the chain for the answer, then streams it again so the handlers see tokens: two model calls.

The student wanted a reliable return value and a streaming side show; the model runs twice, which
a real provider bills twice, and the two answers need not even agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.runnables import Runnable


def stream_answer(chain: Runnable[Any, str], inputs: dict[str, Any], callbacks: Sequence[BaseCallbackHandler]) -> str:
    answer = chain.invoke(inputs)
    for _ in chain.stream(inputs, config={"callbacks": list(callbacks)}):
        pass
    return answer

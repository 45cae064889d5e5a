"""Calls chain.invoke() with the callbacks, so the chat model never streams tokens to them.

The student passed the config correctly but used invoke() to get the answer in one go; the
handlers see the steps start and end, and no token.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.runnables import Runnable


def stream_answer(chain: Runnable[Any, str], inputs: dict[str, Any], callbacks: Sequence[BaseCallbackHandler]) -> str:
    return chain.invoke(inputs, config={"callbacks": list(callbacks)})

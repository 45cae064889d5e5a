"""Keeps one configured chain per chain (with_config) and reuses it: the first call's handlers stay.

The student cached chain.with_config(callbacks=...) to avoid rebuilding it; every later
stream_answer call reuses the first handlers, and the new ones never see anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.runnables import Runnable

_configured: dict[int, Runnable[Any, str]] = {}


def stream_answer(chain: Runnable[Any, str], inputs: dict[str, Any], callbacks: Sequence[BaseCallbackHandler]) -> str:
    configured = _configured.setdefault(id(chain), chain.with_config(callbacks=list(callbacks)))
    return "".join(configured.stream(inputs))

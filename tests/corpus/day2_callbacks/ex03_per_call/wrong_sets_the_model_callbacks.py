"""Attaches the handlers to the chain's chat model (model.callbacks), so they fire on every later call.

The student looked for the model inside the chain and gave it the handlers, as one would in its
constructor; they never see the prompt or the parser, and they stay attached.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.runnables import Runnable
from langchain_core.language_models import BaseChatModel


def stream_answer(chain: Runnable[Any, str], inputs: dict[str, Any], callbacks: Sequence[BaseCallbackHandler]) -> str:
    for step in getattr(chain, "steps", [chain]):
        if isinstance(step, BaseChatModel):
            step.callbacks = list(callbacks)
    return "".join(chain.stream(inputs))

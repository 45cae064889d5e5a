"""Exercise 3 (solution): pass callbacks with the call, so they follow it through the whole chain.

The config travels with the run: LangChain hands its callbacks to every child run (prompt,
model, parser), and forgets them when the run is over. Streaming the chain is what makes the
model send its tokens to them; ``invoke()`` on a model without ``streaming=True`` would not.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.runnables import Runnable


def stream_answer(chain: Runnable[Any, str], inputs: dict[str, Any], callbacks: Sequence[BaseCallbackHandler]) -> str:
    """Stream ``chain`` once with ``callbacks`` attached to this run only, and return the answer."""
    pieces = chain.stream(inputs, config={"callbacks": list(callbacks)})
    return "".join(pieces)

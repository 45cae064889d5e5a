"""Exercise 1 (solution): show a JSON answer key by key, each key once its value is finished.

``JsonOutputParser`` yields the answer parsed so far, and it closes whatever is still open: a
string being written shows up cut short (``"Rio de Ja"``), a number too (``6`` before ``6.7``).
Only the last key of a partial object can still be growing: every key before it was closed by
the one that follows. So each partial gives the finished keys as all but its last, and the end
of the stream, where the object has closed, finishes the last one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import JsonOutputParser


async def complete_snapshots(model: BaseChatModel, question: str) -> AsyncIterator[dict[str, Any]]:
    """The answer's finished keys, a new dict each time one more key is finished."""
    chain = model | JsonOutputParser()
    shown = 0
    latest: dict[str, Any] = {}
    async for partial in chain.astream(question):
        if not isinstance(partial, dict):
            continue
        latest = partial
        finished = list(partial)[:-1]  # the last key may still be written
        if len(finished) > shown:
            shown = len(finished)
            yield {key: partial[key] for key in finished}
    if len(latest) > shown:  # the object has closed: its last key is finished too
        yield dict(latest)

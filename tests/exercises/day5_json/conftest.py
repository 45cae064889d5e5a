"""Day 5's HTTP tests talk to the student's app on a real uvicorn (:mod:`coursekit.testing.http`).

What is day 5's own:

- the client's messages come from this day's ``messages.toml``;
- :class:`DueProbe` (fixture ``due``), a model that writes its next chunk only once the reader
  holds what the text so far has made due (the keys it completed, the items it closed, the object
  it parses to), and :func:`late_chunk`, which finds the first chunk whose due result reached the
  reader only after the model had written more. A JSON answer is not read chunk by chunk (many
  chunks change nothing), so the reader is paced by what it has received, never by a clock.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest
from langchain_core.utils.json import parse_json_markdown
from pydantic import PrivateAttr

from coursekit.testing.http import (  # noqa: F401  (fixtures used by this day's tests)
    READ_TIMEOUT_SECONDS,
    SERVER_GRACE_SECONDS,
    PacedProbe,
    paced,
    serve,
    sse_messages,
    switchboard,
    wait_until,
)
from coursekit.testing.probe import Moment, StreamRecord


def parsed(text: str) -> Any:
    """What ``JsonOutputParser`` makes of ``text`` so far (partial JSON, fences allowed); None if nothing."""
    try:
        return parse_json_markdown(text)
    except Exception:  # noqa: BLE001  (prose, or not yet anything JSON)
        return None


class DueProbe(PacedProbe):
    """A paced probe that writes each next text chunk once ``ready(text so far)`` holds.

    ``ready`` reads the test's own record of what the student's code delivered, so a reader
    that keeps up barely waits, however the answer is cut, and one that holds results back
    keeps the model from going on, until :data:`~coursekit.testing.http.PATIENCE_SECONDS` runs
    out and the probe streams freely: the order of events then shows the delay.
    """

    _ready: Callable[[str], bool] | None = PrivateAttr(default=None)

    def until(self, ready: Callable[[str], bool]) -> DueProbe:
        """Pace every stream of this probe by ``ready(text written so far)``."""
        self._ready = ready
        return self

    @property
    def readers(self) -> list[Any]:
        """The observers given with :meth:`follow` (``lockstep=`` of an SSE request), in order."""
        return self._readers

    def _turn(self, stream: int) -> Callable[[int], bool]:
        record = self._records[stream]
        ready = self._ready

        def turn(texts: int) -> bool:
            return ready is None or ready(record.text)

        return turn


@pytest.fixture
def due() -> type[DueProbe]:
    """:class:`DueProbe`, for test modules."""
    return DueProbe


def late_chunk(record: StreamRecord, shown: Sequence[Moment], met: Callable[[str, int], bool]) -> int | None:
    """The number (from 1) of the first text chunk whose due result came only after the next chunk.

    ``shown`` are the reader's updates in order; ``met(text, n)`` says whether the first ``n``
    of them hold everything due once the model has written ``text``. None when all came in time.
    """
    chunks = record.chunks
    text = ""
    for number, (chunk, following) in enumerate(zip(chunks, chunks[1:]), start=1):
        text += chunk.text
        if not chunk.text:
            continue
        in_time = sum(update.seq < following.seq for update in shown)
        if not met(text, in_time):
            return sum(bool(c.text) for c in chunks[:number])
    return None


@pytest.fixture
def first_late() -> Callable[[StreamRecord, Sequence[Moment], Callable[[str, int], bool]], int | None]:
    """:func:`late_chunk`, for test modules."""
    return late_chunk


@pytest.fixture
def parsed_text() -> Callable[[str], Any]:
    """:func:`parsed`, for test modules."""
    return parsed

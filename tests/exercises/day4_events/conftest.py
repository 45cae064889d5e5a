"""Day 4's HTTP tests talk to the student's app on a real uvicorn (:mod:`coursekit.testing.http`).

What is day 4's own: the client's messages come from this day's ``messages.toml``, and
``cancelled_read`` leaves a student's event generator while the chain waits for its model.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from coursekit.i18n import t
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


async def cancel_while_waiting(events: AsyncIterator[Any], model: PacedProbe) -> asyncio.Future[Any]:
    """Read the student's generator until the chain waits for ``model`` (stalled with
    :meth:`PacedProbe.stall`), then cancel that read, as sse-starlette does when the client leaves.

    Returns the cancelled read: ``cancelled()`` unless the generator swallowed the cancellation.
    """
    while True:
        reading = asyncio.ensure_future(anext(events))
        await wait_until(lambda: model.waiting or reading.done(), READ_TIMEOUT_SECONDS)
        if reading.done() and isinstance(reading.exception(), StopAsyncIteration):
            raise AssertionError(t("day4_events.ended_before_leaving"))
        if reading.done():
            reading.result()  # the student's own error, if any, is the most useful report
        if model.gave_up:
            reading.cancel()
            raise AssertionError(t("day4_events.blocked_while_waiting"))
        if not reading.done():
            break  # waiting for the model: the moment to leave
    reading.cancel()
    await asyncio.wait({reading}, timeout=SERVER_GRACE_SECONDS)
    return reading


@pytest.fixture
def cancelled_read() -> Callable[[AsyncIterator[Any], PacedProbe], Any]:
    """:func:`cancel_while_waiting`, for test modules."""
    return cancel_while_waiting

"""Day 6's fixtures: the virtual clock (:mod:`day6_kit`) and the HTTP client (:mod:`coursekit.testing.http`).

The client's messages come from this day's ``messages.toml``; the router's models, questions and
answers, and the virtual-clock loop, are in ``day6_kit.py``, which the tests import by name.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import pytest
from day6_kit import run_virtual

from coursekit.testing.http import (  # noqa: F401  (fixtures used by this day's tests)
    paced,
    serve,
    sse_messages,
    switchboard,
)

T = TypeVar("T")


@pytest.fixture
def virtual() -> Callable[[Callable[[], Awaitable[T]]], T]:
    """``virtual(lambda: coroutine)`` runs it on a virtual clock (``day6_kit.VirtualClockLoop``)."""
    return run_virtual

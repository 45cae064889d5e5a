"""Day 5's HTTP tests talk to the student's app on a real uvicorn (:mod:`coursekit.testing.http`).

What is day 5's own: the client's messages come from this day's ``messages.toml``.
"""

from __future__ import annotations

import pytest

from coursekit.testing.http import (  # noqa: F401  (fixtures used by this day's tests)
    READ_TIMEOUT_SECONDS,
    SERVER_GRACE_SECONDS,
    PacedProbe,
    paced,
    serve,
    switchboard,
    wait_until,
)


@pytest.fixture
def sse_messages() -> str:
    """The HTTP client's failures speak from this day's catalogue."""
    return "day5_json"

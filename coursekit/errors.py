"""Errors the offline model raises on purpose, so that later days can teach how to handle them.

They mirror what real providers do: a connection dropped in the middle of a stream, and a
rate limit refused before the first token. Both are ordinary exceptions that propagate out
of ``stream()`` / ``astream()`` exactly where a real client's would.
"""

from __future__ import annotations


class FakeModelError(Exception):
    """Base class of every fault the fake model injects."""


class StreamInterruptedError(FakeModelError, ConnectionError):
    """The stream broke after some chunks were already delivered, like a dropped connection."""

    def __init__(self, chunks_sent: int) -> None:
        super().__init__(f"connection lost after {chunks_sent} chunks")
        self.chunks_sent = chunks_sent


class RateLimitError(FakeModelError):
    """The provider refused the request before the first token (HTTP 429 on a real one)."""

    def __init__(self, retry_after: float = 1.0) -> None:
        super().__init__(f"rate limit reached; retry after {retry_after:g}s")
        self.retry_after = retry_after


class MissingAPIKeyError(RuntimeError):
    """A real provider was chosen but its key is not set. The message names the variable."""

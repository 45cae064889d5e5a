"""Errors the offline model raises on purpose, so that later days can teach how to handle them.

They mirror what real providers do: a connection dropped in the middle of a stream, and a
rate limit refused before the first token. Both are ordinary exceptions that propagate out
of ``stream()`` / ``astream()`` exactly where a real client's would. Their messages are one
line in the student's language (``COURSE_LANG`` or the locale).
"""

from __future__ import annotations

from coursekit.i18n import t


class FakeModelError(Exception):
    """Base class of every fault the fake model injects."""


class StreamInterruptedError(FakeModelError, ConnectionError):
    """The stream broke after some chunks were already delivered, like a dropped connection.

    ``chunks_sent`` says how many content chunks the consumer received before the break.
    """

    def __init__(self, chunks_sent: int) -> None:
        super().__init__(t("fake_model.stream_interrupted", chunks=chunks_sent))
        self.chunks_sent = chunks_sent


class RateLimitError(FakeModelError):
    """The provider refused the request before the first token (HTTP 429 on a real one)."""

    def __init__(self, retry_after: float = 1.0) -> None:
        super().__init__(t("fake_model.rate_limited", seconds=f"{retry_after:g}"))
        self.retry_after = retry_after


class InvalidLatencyError(Exception):
    """``latency=`` or ``COURSE_FAKE_LATENCY`` is not a preset nor ``FIRST,BETWEEN`` seconds.

    Not a ``ValueError`` on purpose: pydantic would wrap one in a multi-line validation
    report, and a student who mistyped an environment variable deserves one clear line.
    """


class MissingAPIKeyError(RuntimeError):
    """A real provider was chosen but its key is not set. The message names the variable."""

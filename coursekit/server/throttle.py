"""Brute-force protection for ``/login``: a few wrong passwords per address and username, then 429.

The counting is the ``limits`` library's moving window (each failure is kept for
``login_window_seconds``), in this process's memory: with several workers or hosts each one
counts on its own. While a pair is throttled even the right password is refused, or the
attacker would learn it from the one answer that is not a 429; it works again once the oldest
failure leaves the window, and a successful login forgets the failures.
"""

from __future__ import annotations

import hashlib
import math
import time

from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from coursekit.server.errors import ApiError
from coursekit.server.settings import ServerSettings


class LoginThrottle:
    """``check()`` before comparing the password, ``failed()`` or ``succeeded()`` after."""

    def __init__(self, settings: ServerSettings) -> None:
        self._limit = RateLimitItemPerSecond(settings.login_attempts, settings.login_window_seconds)
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def check(self, address: str, username: str) -> None:
        """Raise :class:`ApiError` 429 with ``Retry-After`` while this pair has used up its attempts."""
        key = _key(address, username)
        if self._limiter.test(self._limit, key):
            return
        reset_at, _ = self._limiter.get_window_stats(self._limit, key)
        seconds = max(1, math.ceil(reset_at - time.time()))
        raise ApiError(429, "too_many_logins", headers={"Retry-After": str(seconds)}, seconds=seconds)

    def failed(self, address: str, username: str) -> None:
        self._limiter.hit(self._limit, _key(address, username))

    def succeeded(self, address: str, username: str) -> None:
        self._limiter.clear(self._limit, _key(address, username))


def _key(address: str, username: str) -> str:
    """A short key whatever the client sends as a username (it may be 60 KiB, or a lone surrogate)."""
    return hashlib.sha256(f"{address}\n{username}".encode(errors="surrogatepass")).hexdigest()

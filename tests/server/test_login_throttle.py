"""Brute force on /login: after N wrong passwords per address and username, 429 with Retry-After.

The throttle's time is the test's own clock: ``limits`` reads ``time.time()``, and the test
replaces that in the modules that read it, so "after the window" is a step of the clock rather
than a minute's sleep, and a slow machine cannot let failures expire between two requests.
"""

from __future__ import annotations

import time
from types import SimpleNamespace

import httpx
import limits.storage.memory
import pytest

import coursekit.server.throttle
from coursekit.i18n import t
from coursekit.server import ServerSettings

ATTEMPTS = 3
WINDOW = 60
RIGHT = {"username": "admin", "password": "admin123"}
WRONG = {"username": "admin", "password": "guess"}


class ManualClock:
    """``time()`` stands still until the test calls ``advance(seconds)``."""

    def __init__(self) -> None:
        self.now = time.time()

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> ManualClock:
    manual = ManualClock()
    for module in (limits.storage.memory, coursekit.server.throttle):
        monkeypatch.setattr(module, "time", SimpleNamespace(time=manual.time))
    return manual


@pytest.fixture
def url(serve, clock) -> str:
    return serve(settings=ServerSettings(login_attempts=ATTEMPTS, login_window_seconds=WINDOW))


def from_address(address: str) -> httpx.Client:
    """A client whose connections come from ``address`` (any 127.x.y.z is loopback on Linux)."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), verify=False)


def test_wrong_passwords_are_throttled_then_the_right_one_works_after_the_window(url, clock):
    with httpx.Client(verify=False) as http:
        for _ in range(ATTEMPTS):
            assert http.post(f"{url}/login", json=WRONG).status_code == 401
        throttled = http.post(f"{url}/login", json=WRONG)
        assert throttled.status_code == 429
        seconds = int(throttled.headers["retry-after"])
        assert seconds == WINDOW  # the oldest failure leaves the window in a minute
        assert throttled.json()["error"] == {"code": "too_many_logins", "message": t("server.too_many_logins", "en", seconds=seconds)}
        # While throttled, even the right password is refused: otherwise it would be the one non-429 answer.
        assert http.post(f"{url}/login", json=RIGHT).status_code == 429

        clock.advance(seconds - 1)
        assert http.post(f"{url}/login", json=RIGHT).status_code == 429  # not yet
        assert http.post(f"{url}/login", json=RIGHT).headers["retry-after"] == "1"
        clock.advance(1)
        answer = http.post(f"{url}/login", json=RIGHT)
        assert answer.status_code == 200, answer.text
        assert answer.json()["access_token"]


def test_the_throttle_counts_per_address_and_username(url):
    with httpx.Client(verify=False) as http, from_address("127.0.0.2") as elsewhere:
        for _ in range(ATTEMPTS):
            http.post(f"{url}/login", json=WRONG)
        assert http.post(f"{url}/login", json=WRONG).status_code == 429
        # Another username from the same address, and the same username from another address, go on.
        assert http.post(f"{url}/login", json={"username": "teacher", "password": "guess"}).status_code == 401
        assert elsewhere.post(f"{url}/login", json=RIGHT).status_code == 200


def test_a_successful_login_forgets_the_failures(url):
    with httpx.Client(verify=False) as http:
        for _ in range(ATTEMPTS - 1):
            assert http.post(f"{url}/login", json=WRONG).status_code == 401
        assert http.post(f"{url}/login", json=RIGHT).status_code == 200
        for _ in range(ATTEMPTS):
            assert http.post(f"{url}/login", json=WRONG).status_code == 401
        assert http.post(f"{url}/login", json=WRONG).status_code == 429


def test_the_limits_come_from_the_environment():
    settings = ServerSettings.from_env({"COURSE_SERVER_LOGIN_ATTEMPTS": "7", "COURSE_SERVER_LOGIN_WINDOW": "120"})
    assert (settings.login_attempts, settings.login_window_seconds) == (7, 120)
    assert (ServerSettings().login_attempts, ServerSettings().login_window_seconds) == (5, 60)

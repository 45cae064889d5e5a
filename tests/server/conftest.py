"""Fixtures for the course server (days 3 to 6): a real uvicorn on 127.0.0.1 per test, with the model it needs.

Every test talks HTTP to a real server (in a background thread, on a port the OS picks), so
streaming, disconnects and error framing behave as they do for a student's browser; an
in-process transport would buffer the whole response and hide exactly what is under test.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AsyncExitStack, ExitStack
from typing import Any

import httpx
import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.runnables import Runnable
from playwright.sync_api import Page, expect

from coursekit.server import BackgroundServer, ServerSettings, create_app, uvicorn_options
from coursekit.testing import ProbeModel, Served, SSEReply
from coursekit.testing.browser import chromium_page
from coursekit.testing.http import READ_TIMEOUT_SECONDS, ErrorRecorder

#: A fixed secret, so tests can forge expired or foreign tokens for the same server.
TEST_SECRET = "test-secret-for-the-day3-server-0123456789"
#: Generous for a loaded CI machine, yet well under the 10 s+ streams the disconnect tests cancel.
STOP_WITHIN_SECONDS = 5.0
SHORT_ANSWER = "A short answer, streamed in a few tokens."

Serve = Callable[..., str]


@pytest.fixture
def settings() -> ServerSettings:
    return ServerSettings(jwt_secret=TEST_SECRET)


@pytest.fixture
def serve(settings: ServerSettings) -> Iterator[Serve]:
    """``serve(model, settings=..., classifier=...)`` starts a server and returns its base URL; all stop at teardown.

    Without a model, the server gets a quick probe that answers :data:`SHORT_ANSWER`. Without a
    classifier, ``/api/route`` classifies with the model, as ``coursekit serve`` does. It runs
    with the connection limits ``coursekit serve`` applies (:func:`uvicorn_options`).
    """
    with ExitStack() as servers:

        def start(
            model: BaseChatModel | None = None, *, settings: ServerSettings = settings, classifier: BaseChatModel | None = None
        ) -> str:
            model = model if model is not None else ProbeModel(responses=[SHORT_ANSWER], token_delay=0.0)
            app = create_app(model=model, settings=settings, classifier=classifier)
            return servers.enter_context(BackgroundServer(app, **uvicorn_options(settings)))

        yield start


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(timeout=30.0, limits=limits) as http:
        yield http


def login(url: str, username: str = "admin", password: str = "admin123") -> dict[str, str]:
    """Log in with the demo credentials and return the ``Authorization`` header."""
    response = httpx.post(f"{url}/login", json={"username": username, "password": password})
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def auth() -> Callable[..., dict[str, str]]:
    return login


def wait_for_idle(url: str, timeout: float = STOP_WITHIN_SECONDS) -> float:
    """Poll ``/health`` until no stream is open; return how long it took, or fail."""
    start = time.monotonic()
    while True:
        active = httpx.get(f"{url}/health").json()["active_streams"]
        elapsed = time.monotonic() - start
        if active == 0:
            return elapsed
        if elapsed > timeout:
            pytest.fail(f"{active} stream(s) still open {timeout} s after the client left")
        time.sleep(0.02)


@pytest.fixture
def idle() -> Callable[..., float]:
    return wait_for_idle


class StreamApi:
    """One server's streaming endpoint (``/api/steps``, ``/api/form``, ``/api/route``), logged in, read with :class:`Served`."""

    def __init__(self, served: Served, url: str, headers: dict[str, str], path: str) -> None:
        self.served = served
        self.url = url
        self.headers = headers
        self.path = path

    async def ask(self, prompt: str, *, headers: dict[str, str] | None = None, **options: Any) -> SSEReply:
        return await self.served.sse("POST", self.path, json={"prompt": prompt}, headers={**self.headers, **(headers or {})}, **options)


@pytest.fixture
async def stream_api(settings: ServerSettings) -> AsyncIterator[Callable[..., Awaitable[StreamApi]]]:
    """``await stream_api(model, path, settings=..., classifier=...)`` starts a server with ``model`` and logs in; all stop at teardown.

    ``classifier`` is the model ``/api/route`` classifies with (the model itself without one).
    """
    async with AsyncExitStack() as opened:

        async def start(
            model: Runnable, path: str, *, settings: ServerSettings = settings, classifier: BaseChatModel | None = None
        ) -> StreamApi:
            recorder = ErrorRecorder(create_app(model=model, settings=settings, classifier=classifier))  # type: ignore[arg-type]
            url = opened.enter_context(BackgroundServer(recorder, **uvicorn_options(settings)))
            client = await opened.enter_async_context(httpx.AsyncClient(base_url=url, timeout=READ_TIMEOUT_SECONDS))
            login = await client.post("/login", json={"username": "admin", "password": "admin123"})
            headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
            return StreamApi(Served(client, recorder, "day3_sse"), url, headers, path)

        yield start


@pytest.fixture
def page() -> Iterator[Page]:
    """A real chromium page, for the browser tests."""
    with chromium_page(viewport={"width": 1000, "height": 900}) as opened:
        yield opened


def log_in(page: Page, url: str, lang: str = "en") -> None:
    """Sign in on the page as a reader does, in ``lang``."""
    page.goto(f"{url}/?lang={lang}")
    page.locator("#username").fill("admin")
    page.locator("#password").fill("admin123")
    page.locator("#login-button").click()
    expect(page.locator("#chat-section")).to_be_visible()


@pytest.fixture
def signed_in() -> Callable[..., None]:
    """:func:`log_in`, for test modules: ``signed_in(page, url, lang)``."""
    return log_in

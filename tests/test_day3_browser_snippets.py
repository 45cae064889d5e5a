"""The day-3 guide's browser code runs in a real browser, against the guide's own demo server.

``modules/day3_sse/snippets/browser_demo.py`` is started exactly as a reader starts it (``python
<file>``, stopped by pressing Enter), and Debian's chromium, driven by Playwright, clicks through
the page it serves: ``eventsource_client.js`` must survive a dropped connection by resuming with
Last-Event-ID, and ``fetch_client.js`` must send the Bearer token, show a 401, stream, and stop
the server's generator with its stop button. Without chromium this fails rather than skips, like
``tests/server/test_browser.py``.
"""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Page, expect

from coursekit.guides import ROOT
from coursekit.testing.browser import chromium_page

pytestmark = pytest.mark.browser

DEMO = ROOT / "modules" / "day3_sse" / "snippets" / "browser_demo.py"
STREAM_TIMEOUT_MS = 20_000
#: The demo model's answer (ANSWER in browser_demo.py).
ANSWER = " ".join(["Server-Sent Events push every token down one open HTTP response, and the page shows it at once."] * 4)


@dataclass
class Demo:
    """The running demo script: its URL and the lines it prints, as they come."""

    process: subprocess.Popen[str]
    url: str = ""
    lines: queue.Queue[str] = field(default_factory=queue.Queue)

    def next_line_matching(self, pattern: str, timeout: float = 10.0) -> re.Match[str]:
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                pytest.fail(f"browser_demo.py printed nothing matching {pattern!r} within {timeout} s")
            if found := re.search(pattern, line):
                return found

    def read_output(self) -> None:
        """Runs in a thread: hand each printed line to the test as soon as it is printed."""
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)


@pytest.fixture
def demo() -> Iterator[Demo]:
    process = subprocess.Popen(
        [sys.executable, str(DEMO)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "COURSE_LANG": "en"},
    )
    running = Demo(process)
    assert process.stdin is not None
    threading.Thread(target=running.read_output, daemon=True).start()
    try:
        running.url = running.next_line_matching(r"Open (http://127\.0\.0\.1:\d+)/ in your browser", timeout=30)[1]
        yield running
        process.stdin.write("\n")  # what a reader does to stop it
        process.stdin.flush()
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.fixture
def page() -> Iterator[Page]:
    with chromium_page() as opened:
        yield opened


def test_eventsource_resumes_after_a_dropped_connection(demo: Demo, page: Page) -> None:
    page.goto(demo.url)
    page.locator("#listen").click()
    expect(page.locator("#es-status")).to_have_text("done", timeout=STREAM_TIMEOUT_MS)
    assert page.locator("#es-output").text_content() == ANSWER, "resumed without losing or repeating a token"
    # The server asks for retry=500 ms: a client that forgot close() on done would be back by now.
    page.wait_for_timeout(1500)
    assert page.locator("#es-reconnects").text_content() == "1"
    assert page.locator("#es-status").text_content() == "done"
    demo.next_line_matching(r"server: the stream closed after token 5, before done")


def test_fetch_sends_the_token_streams_and_stops(demo: Demo, page: Page) -> None:
    page.goto(demo.url)

    page.get_by_label("Token").fill("wrong-token")
    page.locator("#send").click()
    expect(page.locator("#fetch-status")).to_have_text("HTTP 401", timeout=STREAM_TIMEOUT_MS)

    page.get_by_label("Token").fill("let-me-in")
    page.locator("#send").click()
    expect(page.locator("#fetch-status")).to_have_text("done", timeout=STREAM_TIMEOUT_MS)
    assert page.locator("#fetch-output").text_content() == ANSWER

    page.locator("#send").click()
    expect(page.locator("#fetch-output")).to_contain_text("one open HTTP", timeout=STREAM_TIMEOUT_MS)
    page.locator("#stop").click()
    expect(page.locator("#fetch-status")).to_have_text("stopped")
    shown = page.locator("#fetch-output").text_content() or ""
    assert ANSWER.startswith(shown) and len(shown) < len(ANSWER)
    stopped_at = int(demo.next_line_matching(r"server: the stream closed after token (\d+), before done")[1])
    assert stopped_at < len(ANSWER.split()), "the stop button ended the server's generator early"

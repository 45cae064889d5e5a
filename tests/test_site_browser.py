"""The built site in a real browser: a guide page plays a snippet's recorded run, and a notebook page shows its outputs, offline.

The site is built with ``mkdocs build`` (the session's ``site`` fixture, tests/conftest.py) and served from
127.0.0.1; every request elsewhere is refused, so the player can only come from the site itself.
Debian's chromium, driven by Playwright, presses play and watches the terminal's text grow.
Without chromium this fails rather than skips, like ``tests/server/test_browser.py``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Route, expect

from coursekit.guides import ROOT, notebook_path
from coursekit.i18n import LANGUAGES
from coursekit.notebooks import read
from coursekit.testing.browser import chromium_page

pytestmark = pytest.mark.browser

DAY, SNIPPET = "day1_stream", "why_stream"
PLAY_TIMEOUT_MS = 30_000
# Records how many visible characters a player's terminal shows at every change, in the page
# (its rows are padded with spaces, so only the rest counts).
WATCH_TERMINAL = """(box) => {
  window.terminalLengths = [];
  const terminal = box.querySelector(".ap-term");
  new MutationObserver(() => window.terminalLengths.push(terminal.textContent.replace(/\\s/g, "").length))
    .observe(terminal, { childList: true, characterData: true, subtree: true });
}"""


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """The test's output stays for failures."""


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:  # noqa: F811
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def page() -> Iterator[Page]:
    with chromium_page(viewport={"width": 1200, "height": 900}) as opened:
        yield opened


def offline(page: Page) -> list[str]:
    """Refuse every request that leaves 127.0.0.1; the list names them."""
    refused: list[str] = []

    def route(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    return refused


def printed_lines(cast: Path) -> list[str]:
    """The non-empty lines the recorded run prints, as the player replays them."""
    events = [json.loads(line) for line in cast.read_text(encoding="utf-8").splitlines()[1:]]
    return [line for line in "".join(text for _, _, text in events).split("\r\n") if line.strip()]


def test_guide_plays_the_recorded_run_and_its_text_appears_over_time(base_url: str, page: Page) -> None:
    refused = offline(page)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base_url}{DAY}/")
    box = page.locator(f'.course-cast[data-cast$="/{SNIPPET}.cast"]')
    expect(box.locator(".ap-player")).to_be_visible(timeout=PLAY_TIMEOUT_MS)
    lines = printed_lines(ROOT / "modules" / DAY / "casts" / f"{SNIPPET}.cast")
    terminal = box.locator(".ap-term")
    box.scroll_into_view_if_needed()
    expect(terminal).not_to_contain_text(lines[-1])  # nothing is shown before play
    box.evaluate(WATCH_TERMINAL)
    box.locator(".ap-player").click()  # the start overlay: press play

    expect(terminal).to_contain_text(lines[0], timeout=PLAY_TIMEOUT_MS)
    expect(terminal).to_contain_text(lines[-1], timeout=PLAY_TIMEOUT_MS)
    lengths = [length for length in page.evaluate("window.terminalLengths") if length]
    assert len(set(lengths)) >= 5, f"the text appeared in too few steps to be a replay: {lengths}"
    assert lengths == sorted(lengths), f"{SNIPPET}'s output only ever grows: {lengths}"
    assert errors == [], errors
    assert not [url for url in refused if url.endswith((".js", ".css", ".cast"))], refused


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_translated_guides_load_the_player(base_url: str, page: Page, lang: str) -> None:
    offline(page)
    page.goto(f"{base_url}{lang}/{DAY}/")
    expect(page.locator(".course-cast .ap-player").first).to_be_visible(timeout=PLAY_TIMEOUT_MS)
    assert page.locator(".course-cast .ap-player").count() == page.locator(".course-cast").count()


def test_notebook_page_shows_what_each_cell_printed(base_url: str, page: Page) -> None:
    """The first code cell's stored output is on screen right under its code, before anyone runs anything."""
    offline(page)
    first = next(cell for cell in read(notebook_path(DAY, "en")).cells if cell.cell_type == "code")
    line = next(line for line in first.outputs[0].text.splitlines() if line.strip())
    page.goto(f"{base_url}{DAY}/notebook/")
    cell = page.locator(".jp-CodeCell").first
    expect(cell.locator(".jp-InputArea")).to_contain_text(first.source.splitlines()[0])
    output = cell.locator(".jp-OutputArea-output")
    expect(output.first).to_be_visible(timeout=PLAY_TIMEOUT_MS)
    expect(output.first).to_contain_text(line.strip())

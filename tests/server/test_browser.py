"""The page in a real browser: log in, watch an answer grow token by token, stop another one.

Drives Debian's chromium with Playwright. Chromium must be installed (``apt-get install -y
chromium``; ``.ci/run`` does it): without it this test fails rather than skips, so a CI run
can never pass without having exercised the page.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from coursekit.testing import ProbeModel

pytestmark = pytest.mark.browser

ANSWER = (
    "Server-Sent Events keep one HTTP response open and push each token down it as soon as the "
    "model writes it, so the reader starts reading in a fraction of a second instead of waiting."
)
LONG_ANSWER = " ".join(f"word{n}" for n in range(300))

# Records every change of the answer's length, in the page, without polling from the test.
WATCH_ANSWER = """() => {
  window.answerLengths = [];
  const answer = document.getElementById("answer");
  new MutationObserver(() => window.answerLengths.push(answer.textContent.length))
    .observe(answer, { childList: true, characterData: true, subtree: true });
}"""



def log_in(page: Page, url: str) -> None:
    page.goto(url)
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("admin123")
    page.locator("#login-button").click()
    expect(page.locator("#chat-section")).to_be_visible()


def test_answer_grows_token_by_token_and_stop_cancels(serve, page, idle, tmp_path):
    probe = ProbeModel(rules={"long": LONG_ANSWER}, responses=[ANSWER], time_to_first_token=0.1, token_delay=0.04)
    url = serve(probe)
    log_in(page, url)

    page.evaluate(WATCH_ANSWER)
    page.get_by_label("Your prompt").fill("What are Server-Sent Events?")
    page.locator("#send-button").click()
    expect(page.locator("#status")).to_have_attribute("data-state", "done", timeout=20_000)

    assert page.locator("#answer").text_content() == ANSWER
    lengths = page.evaluate("window.answerLengths")
    assert lengths == sorted(lengths), "the answer only ever grows"
    assert len(set(lengths)) >= 5, f"the answer appeared in too few steps to be streamed: {lengths}"
    assert lengths[0] < len(ANSWER) / 2
    page.screenshot(path=str(tmp_path / "day3-page.png"), full_page=True)

    page.get_by_label("Your prompt").fill("Now a long answer, please.")
    page.locator("#send-button").click()
    expect(page.locator("#status")).to_have_attribute("data-state", "streaming", timeout=20_000)
    expect(page.locator("#stop-button")).to_be_enabled()
    page.locator("#stop-button").click()
    expect(page.locator("#status")).to_have_attribute("data-state", "stopped")
    expect(page.locator("#send-button")).to_be_enabled()

    stopped_at = len(page.locator("#answer").text_content())
    idle(url)  # the server noticed the browser left and closed the stream
    page.wait_for_timeout(300)
    assert len(page.locator("#answer").text_content()) == stopped_at, "text kept arriving after stop"
    record = probe.records[-1]
    assert record.outcome in {"cancelled", "closed"}, record.outcome
    assert len(record.chunks) < len(LONG_ANSWER.split())


def test_wrong_password_shows_the_servers_message(serve, page):
    url = serve()
    page.goto(f"{url}/?lang=pt")
    page.get_by_label("Usuário").fill("admin")
    page.get_by_label("Senha").fill("nope")
    page.locator("#login-button").click()
    expect(page.locator("#login-error")).to_have_text("Usuário ou senha incorretos.")
    expect(page.locator("#chat-section")).to_be_hidden()

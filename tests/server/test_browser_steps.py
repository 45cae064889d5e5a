"""The steps view in a real browser: each step appears when it starts, nested under its parent, and is
marked when it ends, beside an answer that grows token by token.

The browser paces the model: a :class:`PacedProbe` follows what the page has shown (the test
reports each token once it sees it in ``#answer``), so the model writes its next token only
after the page shows the last one. Every check waits on the DOM, none on a clock. Drives
Debian's chromium with Playwright, as ``test_browser.py`` does.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

import coursekit.testing.http
from coursekit.i18n import t
from coursekit.replies import tokenize
from coursekit.testing import PacedProbe, ProbeModel, Received

pytestmark = pytest.mark.browser

ANSWER = "Each step of the chain reports its start and its end, and the model's tokens flow in between."
#: Generous: the page, not a clock, decides when a stream is done.
SERVER_WAIT_MS = 20_000
WAIT_FOR_LENGTH = "length => document.getElementById('answer').textContent.length >= length"




def test_steps_start_nest_and_end_while_the_answer_grows(serve, page, signed_in, monkeypatch, tmp_path):
    # The probe waits for the page without giving up: a loaded machine only makes the test slower.
    monkeypatch.setattr(coursekit.testing.http, "PATIENCE_SECONDS", 120.0)
    probe = PacedProbe(responses=[ANSWER])
    shown = Received()
    probe.follow(shown)
    # A model with a fallback runs inside RunnableWithFallbacks: a step inside a step.
    url = serve(probe.with_fallbacks([ProbeModel(responses=["The backup answers."])]))
    signed_in(page, url)

    expect(page.locator("#steps-view")).to_be_hidden()
    page.get_by_label("Show the steps").check()
    expect(page.locator("#steps-view")).to_be_visible()
    page.get_by_label("Your prompt").fill("Why watch the steps?")
    page.locator("#send-button").click()

    prompt = page.locator('#steps > li[data-type="prompt"]')
    fallbacks = page.locator('#steps > li[data-type="chain"]')
    model = fallbacks.locator(':scope > ol > li[data-type="chat_model"]')
    pieces = tokenize(ANSWER)
    for count in range(1, len(pieces) + 1):
        text = "".join(pieces[:count])
        page.wait_for_function(WAIT_FOR_LENGTH, arg=len(text))
        assert page.locator("#answer").text_content() == text, "the model waits for the page: no token more than it showed"
        expect(prompt).to_have_attribute("data-status", "ended")
        expect(model).to_have_attribute("data-status", "running")
        expect(model.locator(":scope > .step-state")).to_have_text("running")
        assert probe.record.outcome == "running", "the page shows part of the answer while the model is still writing"
        shown(text)  # now the model may write its next token

    expect(page.locator("#status")).to_have_attribute("data-state", "done", timeout=SERVER_WAIT_MS)
    assert page.locator("#answer").text_content() == ANSWER
    expect(page.locator("#steps > li > .step-name")).to_have_text(["ChatPromptTemplate", "RunnableWithFallbacks", "StrOutputParser"])
    expect(model.locator(":scope > .step-name")).to_have_text("PacedProbe")
    expect(page.locator("#steps li")).to_have_count(4)
    expect(page.locator('#steps li[data-status="ended"]')).to_have_count(4)
    expect(page.locator("#steps .step-state")).to_have_text(["done"] * 4)
    page.screenshot(path=str(tmp_path / "day4-steps.png"), full_page=True)


def test_a_failure_mid_stream_leaves_the_unfinished_steps_interrupted(serve, page, signed_in):
    url = serve(ProbeModel(responses=[ANSWER], error_after=3, token_delay=0.0))
    signed_in(page, url, lang="pt")

    page.get_by_label(t("server.label_show_steps", "pt")).check()
    page.get_by_label(t("server.label_prompt", "pt")).fill("Por que acompanhar as etapas?")
    page.locator("#send-button").click()

    expect(page.locator("#status")).to_have_attribute("data-state", "error", timeout=SERVER_WAIT_MS)
    expect(page.locator("#status")).to_have_text(t("server.stream_interrupted", "pt"))
    assert page.locator("#answer").text_content() == "".join(tokenize(ANSWER)[:3])
    expect(page.locator('#steps > li[data-type="prompt"]')).to_have_attribute("data-status", "ended")
    for kind in ("chat_model", "parser"):
        step = page.locator(f'#steps > li[data-type="{kind}"]')
        expect(step).to_have_attribute("data-status", "interrupted")
        expect(step.locator(".step-state")).to_have_text(t("server.step_interrupted", "pt"))

    page.get_by_label(t("server.label_show_steps", "pt")).uncheck()
    expect(page.locator("#steps-view")).to_be_hidden()  # back to the plain chat view

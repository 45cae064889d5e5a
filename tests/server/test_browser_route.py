"""The routed chat in a real browser: the route's badge the moment the route is known, then an answer that grows, and a stop that cancels.

The browser paces the model. The answer is a :class:`PacedProbe`: it writes its next token only
once the test has seen the last one in ``#answer``; in the first test it also waits for the test
before its first token (:class:`HeldProbe`, a model slow to start), so the page is seen showing
the route with no token yet. Every check waits on the DOM or on the server's own records, none
on a clock. Drives Debian's chromium with Playwright, as ``test_browser.py`` does.
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import aclosing
from typing import Any

import pytest
from playwright.sync_api import expect
from pydantic import PrivateAttr

import coursekit.testing.http
from coursekit.i18n import t
from coursekit.replies import tokenize
from coursekit.server import ServerSettings
from coursekit.testing import PacedProbe, ProbeModel, Received

pytestmark = pytest.mark.browser

ANSWER = "Twenty-five times seventeen: twenty-five times ten is 250, times seven is 175, and 250 plus 175 is 425."
LONG_ANSWER = " ".join(f"word{n}" for n in range(300))
#: Generous: the page, not a clock, decides when a stream is done.
SERVER_WAIT_MS = 20_000
SERVER_WAIT_SECONDS = SERVER_WAIT_MS / 1000
WAIT_FOR_LENGTH = "length => document.getElementById('answer').textContent.length >= length"
#: A classifier budget no loaded machine reaches, and a classifier only a timeout or a stop ends.
PATIENT_SECONDS = 3600.0
STALLS_SECONDS = 3600.0


class HeldProbe(PacedProbe):
    """A :class:`PacedProbe` whose answer begins only once the test calls :meth:`release`: a model slow to its first token."""

    _release: threading.Event = PrivateAttr(default_factory=threading.Event)

    def release(self) -> None:
        self._release.set()

    def _astream(self, messages: Any, *args: Any, **kwargs: Any) -> AsyncIterator[Any]:
        return self._held(super()._astream(messages, *args, **kwargs))

    async def _held(self, chunks: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async with aclosing(chunks):  # type: ignore[type-var]
            while not self._release.is_set():
                await asyncio.sleep(0.002)
            async for chunk in chunks:
                yield chunk


@pytest.fixture
def settings(settings: ServerSettings) -> ServerSettings:
    """The server tests' settings, with a classifier budget that never runs out by itself."""
    return dataclasses.replace(settings, route_timeout_seconds=PATIENT_SECONDS)


def eventually(condition: Callable[[], bool], message: str) -> None:
    """Wait for the server (in its own thread) to reach ``condition``; fail after a generous while."""
    deadline = time.monotonic() + SERVER_WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(message)
        time.sleep(0.005)


def test_the_badge_shows_the_route_before_the_first_token_then_the_answer_grows(serve, page, signed_in, monkeypatch, tmp_path):
    # The probe waits for the page without giving up: a loaded machine only makes the test slower.
    monkeypatch.setattr(coursekit.testing.http, "PATIENCE_SECONDS", 120.0)
    answer = HeldProbe(responses=[ANSWER])
    shown = Received()
    answer.follow(shown)
    classifier = ProbeModel(token_delay=0.0)  # the offline model's own classifier, with no rules
    url = serve(answer, classifier=classifier)
    signed_in(page, url)

    badge = page.locator("#route-badge")
    expect(badge).to_be_hidden()
    page.get_by_label("Show the steps").check()
    page.get_by_label(t("server.label_route", "en")).check()
    expect(page.get_by_label("Show the steps")).not_to_be_checked()  # one view at a time
    expect(page.locator("#steps-view")).to_be_hidden()
    page.get_by_label("Your prompt").fill("What is 25 * 17?")
    page.locator("#send-button").click()

    expect(badge).to_be_visible(timeout=SERVER_WAIT_MS)
    expect(badge).to_have_attribute("data-route", "math")
    expect(badge).to_have_attribute("data-fallback", "false")
    expect(page.locator("#route-name")).to_have_text("math")
    expect(page.locator("#route-fallback")).to_be_hidden()
    expect(page.locator("#status")).to_have_text(t("server.status_routed", "en", route="math"))
    assert page.locator("#answer").text_content() == "", "the route is shown before the first token"
    assert answer.produced == [], "the answer has not written anything yet"
    expect(page.locator("#stop-button")).to_be_enabled()
    answer.release()

    pieces = tokenize(ANSWER)
    for count in range(1, len(pieces) + 1):
        so_far = "".join(pieces[:count])
        page.wait_for_function(WAIT_FOR_LENGTH, arg=len(so_far), timeout=SERVER_WAIT_MS)
        assert page.locator("#answer").text_content() == so_far, "the model waits for the page: no token more than it showed"
        assert answer.record.outcome == "running", "the page shows part of the answer while the model is still writing"
        expect(badge).to_be_visible()
        shown(so_far)  # now the model may write its next token

    expect(page.locator("#status")).to_have_attribute("data-state", "done", timeout=SERVER_WAIT_MS)
    expect(page.locator("#status")).to_have_text(t("server.status_done", "en", count=len(pieces)))
    assert page.locator("#answer").text_content() == ANSWER
    expect(page.locator("#route-name")).to_have_text("math")
    assert answer.record.outcome == "completed" and classifier.record.outcome == "completed"
    page.screenshot(path=str(tmp_path / "day6-route.png"), full_page=True)


def test_stop_during_the_answer_cancels_it_and_the_route_stays_shown(serve, page, signed_in, idle, monkeypatch):
    monkeypatch.setattr(coursekit.testing.http, "PATIENCE_SECONDS", 120.0)
    answer = PacedProbe(responses=[LONG_ANSWER])
    shown = Received()
    answer.follow(shown)
    classifier = ProbeModel(token_delay=0.0)
    url = serve(answer, classifier=classifier)
    signed_in(page, url, lang="pt")

    page.get_by_label(t("server.label_route", "pt")).check()
    page.get_by_label(t("server.label_prompt", "pt")).fill("Qual é a capital da França?")
    page.locator("#send-button").click()

    pieces = tokenize(LONG_ANSWER)
    for count in range(1, 4):
        so_far = "".join(pieces[:count])
        page.wait_for_function(WAIT_FOR_LENGTH, arg=len(so_far), timeout=SERVER_WAIT_MS)
        shown(so_far)
    # The model now waits for the page to show its next token: stop it there.
    page.wait_for_function(WAIT_FOR_LENGTH, arg=len("".join(pieces[:4])), timeout=SERVER_WAIT_MS)
    assert answer.record.outcome == "running"
    page.locator("#stop-button").click()

    expect(page.locator("#status")).to_have_attribute("data-state", "stopped")
    expect(page.locator("#status")).to_have_text(t("server.status_route_stopped", "pt"))
    expect(page.locator("#send-button")).to_be_enabled()
    idle(url)  # the server noticed the browser left and closed the stream
    assert answer.record.outcome in {"cancelled", "closed"}, answer.record.outcome
    assert len([chunk for chunk in answer.record.chunks if chunk.text]) < len(pieces), "the model kept writing after stop"
    assert classifier.record.outcome == "completed"
    expect(page.locator("#route-name")).to_have_text(t("server.route_general", "pt"))  # what was known stays shown
    expect(page.locator("#route-fallback")).to_be_hidden()


def test_stop_while_the_classifier_thinks_cancels_it_and_no_answer_starts(serve, page, signed_in, idle):
    classifier = ProbeModel(time_to_first_token=STALLS_SECONDS)
    answer = ProbeModel(responses=[ANSWER], token_delay=0.0)
    url = serve(answer, classifier=classifier)
    signed_in(page, url, lang="id")

    page.get_by_label(t("server.label_route", "id")).check()
    page.get_by_label(t("server.label_prompt", "id")).fill("Berapa 25 * 17?")
    page.locator("#send-button").click()

    expect(page.locator("#status")).to_have_attribute("data-state", "routing")
    expect(page.locator("#status")).to_have_text(t("server.status_routing", "id"))
    eventually(lambda: bool(classifier.records), "the classifier was never called")
    page.locator("#stop-button").click()

    expect(page.locator("#status")).to_have_attribute("data-state", "stopped")
    expect(page.locator("#status")).to_have_text(t("server.status_route_stopped", "id"))
    idle(url)
    assert classifier.record.outcome == "cancelled", classifier.record.outcome
    assert answer.records == [], "an answer was started after stop"
    expect(page.locator("#route-badge")).to_be_hidden()
    assert page.locator("#answer").text_content() == ""


@pytest.mark.parametrize(
    ("lang", "classifier", "timeout", "reason"),
    [
        ("pt", ProbeModel(rate_limited=True), PATIENT_SECONDS, "error"),
        ("id", ProbeModel(rules={".": {"category": "poetry"}}), PATIENT_SECONDS, "invalid_label"),
        ("en", ProbeModel(time_to_first_token=STALLS_SECONDS), 0.05, "timeout"),
    ],
    ids=["pt-error", "id-invalid-label", "en-timeout"],
)
def test_a_failed_classifier_shows_the_general_route_marked_as_a_fallback(serve, page, signed_in, settings, lang, classifier, timeout, reason):
    options = dataclasses.replace(settings, route_timeout_seconds=timeout)
    url = serve(ProbeModel(responses=[ANSWER], token_delay=0.0), classifier=classifier, settings=options)
    signed_in(page, url, lang=lang)

    page.get_by_label(t("server.label_route", lang)).check()
    page.get_by_label(t("server.label_prompt", lang)).fill("What is 25 * 17?")
    page.locator("#send-button").click()

    expect(page.locator("#status")).to_have_attribute("data-state", "done", timeout=SERVER_WAIT_MS)
    badge = page.locator("#route-badge")
    expect(badge).to_have_attribute("data-route", "general")
    expect(badge).to_have_attribute("data-fallback", "true")
    expect(page.locator("#route-name")).to_have_text(t("server.route_general", lang))
    mark = page.locator("#route-fallback")
    expect(mark).to_be_visible()
    expect(mark).to_have_text(t("server.route_fallback", lang))
    expect(mark).to_have_attribute("title", t(f"server.fallback_{reason}", lang))
    assert page.locator("#answer").text_content() == ANSWER

    page.get_by_label(t("server.label_show_form", lang)).check()  # another view: the route box is unticked
    expect(page.get_by_label(t("server.label_route", lang))).not_to_be_checked()

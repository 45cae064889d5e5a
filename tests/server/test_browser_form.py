"""The form view in a real browser: its fields fill in while the model writes the JSON, and end equal to the answer.

The browser paces the model: a :class:`PacedProbe` writes its next chunk only once the test has
seen, in the page, the object the chunks so far make (what fast-json-patch built from the patch
events, and each field's value). So a field that shows half its text while the model's stream is
still open proves the form fills as the answer is written; every check waits on the DOM, none on a
clock. Drives Debian's chromium with Playwright, as ``test_browser.py`` does.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from langchain_core.utils.json import parse_json_markdown
from playwright.sync_api import Page, expect

import coursekit.testing.http
from coursekit.i18n import t
from coursekit.replies import tokenize
from coursekit.testing import PacedProbe, ProbeModel, Received

pytestmark = pytest.mark.browser

OBJECT = {
    "topic": "Forms that fill themselves",
    "summary": "The server sends each change as a JSON Patch, and the page applies it to the form at once.",
    "key_points": ["The first patch replaces the root.", "A growing string is sent whole.", "Check the object at the end."],
    "confidence": 0.85,
}
#: As a model writes it (and the fake does): indented, cut into tokens by the probe.
ANSWER = json.dumps(OBJECT, indent=2, ensure_ascii=False)

#: Generous: the page, not a clock, decides when a stream is done.
SERVER_WAIT_MS = 20_000
#: The object fast-json-patch has built so far equals the one the test expects (same keys, same order).
SHOWS_OBJECT = "want => JSON.stringify(formView.value()) === want"
FIELDS = "() => [...document.getElementById('answer-form').elements].map((f) => [f.name, f.value, f.dataset.state])"



def partial_objects(answer: str) -> list[Any]:
    """What the server's parser reads after each text chunk of ``answer``: the partial JSON of the text so far."""
    objects, text = [], ""
    for piece in tokenize(answer):
        text += piece
        try:
            objects.append(parse_json_markdown(text.strip()))
        except json.JSONDecodeError:
            objects.append(None)
    return objects



def as_text(value: Any) -> str:
    """What a field shows for a value (form.js's text()): a list one item per line."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(as_text(item) for item in value)
    return json.dumps(value) if isinstance(value, dict) else str(value)


def fields(page: Page) -> dict[str, tuple[str, str]]:
    """Each field of the form: its value and its state (empty, writing, filled, interrupted)."""
    return {name: (value, state) for name, value, state in page.evaluate(FIELDS)}


def as_js(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def test_the_fields_fill_while_the_model_writes_and_end_equal_to_the_answer(serve, page, signed_in, monkeypatch, tmp_path):
    # The probe waits for the page without giving up: a loaded machine only makes the test slower.
    monkeypatch.setattr(coursekit.testing.http, "PATIENCE_SECONDS", 120.0)
    probe = PacedProbe(responses=[ANSWER])
    shown = Received()
    probe.follow(shown)
    url = serve(probe)
    signed_in(page, url)

    expect(page.locator("#form-view")).to_be_hidden()
    page.get_by_label("Show the steps").check()
    page.get_by_label("Fill in a form").check()
    expect(page.get_by_label("Show the steps")).not_to_be_checked()  # one view at a time
    expect(page.locator("#steps-view")).to_be_hidden()
    expect(page.locator("#form-view")).to_be_visible()
    expect(page.locator("#answer-view")).to_be_hidden()
    page.get_by_label("Your prompt").fill("Why send JSON Patch over SSE?")
    page.locator("#send-button").click()

    half_written = []
    for count, expected in enumerate(partial_objects(ANSWER), start=1):
        page.wait_for_function(SHOWS_OBJECT, arg=as_js(expected))
        shows = fields(page)
        assert {name: value for name, (value, _) in shows.items()} == {key: as_text(expected.get(key)) for key in OBJECT}
        summary, state = shows["summary"]
        if 0 < len(summary) < len(OBJECT["summary"]):
            assert state == "writing", "the field the model is writing is marked"
            assert probe.record.outcome == "running", "the page shows part of the answer while the model is still writing"
            half_written.append(summary)
        shown(str(count))  # now the model may write its next chunk
    assert len(half_written) > 5, "the summary grew in the form, piece by piece"

    expect(page.locator("#status")).to_have_attribute("data-state", "done", timeout=SERVER_WAIT_MS)
    patches = len({as_js(state) for state in partial_objects(ANSWER)})
    expect(page.locator("#status")).to_have_text(t("server.status_filled", "en", count=patches))
    assert page.evaluate("JSON.stringify(formView.value())") == as_js(OBJECT), "the patches built the whole answer"
    assert fields(page) == {key: (as_text(value), "filled") for key, value in OBJECT.items()}
    expect(page.locator("#form-key_points")).to_have_value("\n".join(OBJECT["key_points"]))
    assert probe.record.outcome == "completed"
    page.screenshot(path=str(tmp_path / "day5-form.png"), full_page=True)

    page.get_by_label("Show the steps").check()
    expect(page.get_by_label("Fill in a form")).not_to_be_checked()
    expect(page.locator("#form-view")).to_be_hidden()
    expect(page.locator("#answer-view")).to_be_visible()


def test_a_fault_mid_stream_leaves_the_error_shown_and_no_done(serve, page, signed_in):
    chunks = 25
    url = serve(ProbeModel(responses=[ANSWER], error_after=chunks, token_delay=0.0))
    signed_in(page, url, lang="pt")

    page.get_by_label(t("server.label_show_form", "pt")).check()
    page.get_by_label(t("server.label_prompt", "pt")).fill("Por que enviar JSON Patch por SSE?")
    page.locator("#send-button").click()

    expect(page.locator("#status")).to_have_attribute("data-state", "error", timeout=SERVER_WAIT_MS)
    expect(page.locator("#status")).to_have_text(t("server.stream_interrupted", "pt"))
    written = partial_objects(ANSWER)[chunks - 1]
    assert page.evaluate("JSON.stringify(formView.value())") == as_js(written), "what arrived stays in the form"
    assert written != OBJECT
    shows = fields(page)
    assert {name: value for name, (value, _) in shows.items()} == {key: as_text(written.get(key)) for key in OBJECT}
    last = list(written)[-1]  # the key the model was writing when it failed
    assert shows[last][1] == "interrupted"
    assert all(state != "writing" for _, state in shows.values()), "no field is left looking as if it were still being written"
    expect(page.locator("#send-button")).to_be_enabled()


def test_an_answer_that_does_not_fit_the_form_is_an_error_in_indonesian(serve, page, signed_in):
    url = serve(ProbeModel(responses=[json.dumps({**OBJECT, "confidence": "high"})], token_delay=0.0))
    signed_in(page, url, lang="id")

    page.get_by_label(t("server.label_show_form", "id")).check()
    page.get_by_label(t("server.label_prompt", "id")).fill("Kenapa JSON Patch?")
    page.locator("#send-button").click()

    expect(page.locator("#status")).to_have_attribute("data-state", "error", timeout=SERVER_WAIT_MS)
    prefix = t("server.answer_invalid", "id", field="confidence", detail="@").split("@")[0]
    expect(page.locator("#status")).to_contain_text(prefix)
    expect(page.locator("#form-confidence")).to_have_value("high")  # shown as written, and refused at the end
    expect(page.locator("#form-topic")).to_have_value(OBJECT["topic"])

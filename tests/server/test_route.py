"""``POST /api/route`` over real HTTP: the route first, then the routed answer's tokens, then done; a fallback that says so; cancellation.

The client is :class:`coursekit.testing.http.Served` on real uvicorn. The classifier is the
offline model's own, with no rules ("What is 25 * 17?" is math), unless a test gives the server
a classifier of its own (``route_api(model, classifier=...)``) that fails, lies or stalls. Streaming is
an order of events (a :class:`PacedProbe` waits for the client), never a timing; the only clock
is the classifier's budget, against a classifier that would take minutes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import aclosing
from typing import Any

import httpx
import pytest
from langchain_core.messages import BaseMessage
from pydantic import PrivateAttr

import coursekit.testing.http
from coursekit.i18n import LANGUAGES, t
from coursekit.replies import tokenize
from coursekit.server import ServerConfigError, ServerSettings
from coursekit.server import route as routed_chat
from coursekit.server.settings import ROUTE_TIMEOUT_ENV
from coursekit.testing import CHUNK_LAYOUTS, Observer, PacedProbe, ProbeModel, SSEReply, assert_partial_text_kept
from coursekit.testing.http import wait_until

ANSWER = "The route is known first, and then the routed answer flows in, token by token."
LONG_ANSWER = " ".join(f"word{n}" for n in range(300))
QUESTIONS = {
    "What is 25 * 17?": "math",
    "Write a Python function to reverse a string": "code",
    "What is the capital of France?": "general",
}
#: A budget no loaded machine reaches: only the timeout test gives the classifier less.
PATIENT_SECONDS = 600.0
#: A classifier that would think this long is one only a timeout (or a client leaving) stops.
STALLS_SECONDS = 3600.0


class PromptProbe(ProbeModel):
    """A :class:`ProbeModel` that also keeps the messages of each call: which route's prompt answered."""

    _prompts: list[list[BaseMessage]] = PrivateAttr(default_factory=list)

    @property
    def system_prompts(self) -> list[str]:
        """The system message of each call, in order."""
        return [next((m.text for m in messages if m.type == "system"), "") for messages in self._prompts]

    def _astream(self, messages, *args, **kwargs):  # type: ignore[no-untyped-def]
        self._prompts.append(messages)
        return super()._astream(messages, *args, **kwargs)

    async def _agenerate(self, messages, *args, **kwargs):  # type: ignore[no-untyped-def]
        self._prompts.append(messages)
        return await super()._agenerate(messages, *args, **kwargs)


class RouteFirstProbe(PacedProbe):
    """A :class:`PacedProbe` that writes nothing until its reader holds an event: the route, if it comes first.

    A server that held the route back until the answer's first token would leave it waiting
    :data:`~coursekit.testing.http.PATIENCE_SECONDS`, then ``route_late`` says so.
    """

    route_late: bool = False
    _first_reader: Observer | None = PrivateAttr(default=None)

    def follow(self, reader: Observer) -> None:
        super().follow(reader)
        self._first_reader = self._first_reader or reader

    def _astream(self, messages, *args, **kwargs):  # type: ignore[no-untyped-def]
        return self._after_the_route(super()._astream(messages, *args, **kwargs))

    async def _after_the_route(self, chunks: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async with aclosing(chunks):  # type: ignore[type-var]
            reader = self._first_reader
            self.route_late = not await wait_until(lambda: reader is None or bool(reader.updates), coursekit.testing.http.PATIENCE_SECONDS)
            async for chunk in chunks:
                yield chunk


@pytest.fixture
def settings(settings: ServerSettings) -> ServerSettings:
    """The server tests' settings, with a classifier budget that never runs out by itself."""
    return dataclasses.replace(settings, route_timeout_seconds=PATIENT_SECONDS)


@pytest.fixture
def route_api(stream_api: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """``await route_api(model, classifier=..., settings=...)``: a logged-in server for ``/api/route``."""
    return lambda model, **options: stream_api(model, "/api/route", **options)


def check_answered(reply: SSEReply, answer: str) -> None:
    """route, then the answer's tokens numbered from 1, then one done that counts them."""
    assert reply.content_type.startswith("text/event-stream")
    tokens = tokenize(answer)
    assert reply.names == ["route", *["token"] * len(tokens), "done"], reply.names
    assert reply.token_texts == tokens
    assert [event.id for event in reply.named("token")] == [str(n) for n in range(1, len(tokens) + 1)]
    done = reply.payloads("done")[0]
    assert (done["tokens"], done["finish_reason"]) == (len(tokens), "stop")


@pytest.mark.parametrize(("question", "category"), QUESTIONS.items())
async def test_the_classifier_picks_the_route_and_that_route_answers(route_api, question, category):
    model = PromptProbe(responses=[ANSWER], token_delay=0.0)  # one model: the classifier and the answer
    api = await route_api(model)
    reply = await api.ask(question)

    check_answered(reply, ANSWER)
    assert reply.payloads("route") == [{"category": category, "fallback": False, "reason": None}]
    classifier, answer = model.records
    assert (classifier.via, classifier.outcome) == ("invoke", "completed"), "the classifier's object is read whole"
    assert (answer.via, answer.outcome) == ("stream", "completed"), "the answer is streamed"
    assert model.system_prompts == [routed_chat.CLASSIFIER_PROMPT.messages[0].prompt.template, routed_chat.ROUTE_PROMPTS[category]]
    assert not any("category" in text for text in reply.token_texts), "the classifier's JSON is not an answer token"


@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_the_route_reaches_the_client_before_the_answer_writes_and_the_answer_streams(route_api, layout):
    probe = RouteFirstProbe(responses=[ANSWER], chunk_layout=layout)
    api = await route_api(probe, classifier=ProbeModel(token_delay=0.0))
    reply = await api.ask("What is 25 * 17?", lockstep=probe)

    check_answered(reply, ANSWER)
    assert reply.payloads("route") == [{"category": "math", "fallback": False, "reason": None}]
    assert not probe.route_late, "the route was held back until the answer's first token"
    route = reply.received.updates[0]
    assert route.seq < probe.record.started.seq, "the client had the route before the answer's model was even called"
    # Then the probe writes text chunk n+1 only once the client holds n events, the route among them.
    assert not probe.gave_up, "the model had to stop waiting for the client: events were held back"
    first_token = reply.received.updates[1]
    assert first_token.seq < probe.record.done.seq, "the first token reached the client before the answer was complete"
    assert probe.record.outcome == "completed"


@pytest.mark.parametrize(
    ("classifier", "reason", "outcome"),
    [
        (ProbeModel(rate_limited=True), "error", "failed"),
        (ProbeModel(rules={".": {"category": "poetry"}}), "invalid_label", "completed"),
        (ProbeModel(json_fault="prose"), "invalid_label", "completed"),
        (ProbeModel(json_fault="mismatch"), "invalid_label", "completed"),
    ],
    ids=["rate-limited", "not-a-route", "no-object", "wrong-object"],
)
async def test_a_classifier_that_fails_falls_back_to_general_and_says_so(route_api, classifier, reason, outcome):
    answer = PromptProbe(responses=[ANSWER], token_delay=0.0)
    api = await route_api(answer, classifier=classifier)
    reply = await api.ask("What is 25 * 17?")

    check_answered(reply, ANSWER)
    assert reply.payloads("route") == [{"category": "general", "fallback": True, "reason": reason}]
    assert answer.system_prompts == [routed_chat.ROUTE_PROMPTS["general"]]
    assert classifier.record.outcome == outcome, "the classifier was asked once, and its answer (or failure) read"


async def test_a_classifier_that_outlasts_its_budget_is_cancelled_and_general_answers(route_api, settings):
    classifier = ProbeModel(time_to_first_token=STALLS_SECONDS)
    answer = PromptProbe(responses=[ANSWER], token_delay=0.0)
    api = await route_api(answer, classifier=classifier, settings=dataclasses.replace(settings, route_timeout_seconds=0.05))
    reply = await api.ask("Write a Python function to reverse a string")

    check_answered(reply, ANSWER)
    assert reply.payloads("route") == [{"category": "general", "fallback": True, "reason": "timeout"}]
    assert classifier.record.outcome == "cancelled", "the timeout cancels the classifier's call"
    assert classifier.record.chunks == []
    assert answer.system_prompts == [routed_chat.ROUTE_PROMPTS["general"]]


async def test_an_answer_refused_before_its_first_token_is_an_error_event_after_the_route(route_api):
    api = await route_api(ProbeModel(rate_limited=True), classifier=ProbeModel(token_delay=0.0))
    reply = await api.ask("What is 25 * 17?", headers={"Accept-Language": "id"})

    assert reply.names == ["route", "error"]
    assert reply.payloads("route")[0]["category"] == "math"
    error = reply.payloads("error")[0]["error"]
    assert error == {"code": "rate_limited", "message": t("server.rate_limited", "id", seconds=1), "tokens": 0}


@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_an_answer_that_fails_mid_stream_keeps_its_tokens_and_ends_with_error(route_api, idle, layout):
    answer = ProbeModel(responses=[LONG_ANSWER], token_delay=0.0, error_after=3, chunk_layout=layout)
    api = await route_api(answer, classifier=ProbeModel(token_delay=0.0))
    reply = await api.ask("What is the capital of France?", headers={"Accept-Language": "pt-BR"})

    assert reply.names == ["route", "token", "token", "token", "error"]
    error = reply.payloads("error")[0]["error"]
    assert error == {"code": "stream_interrupted", "message": t("server.stream_interrupted", "pt"), "tokens": 3}
    assert_partial_text_kept("".join(reply.token_texts), answer)
    idle(api.url)


async def test_a_client_that_leaves_while_the_classifier_thinks_cancels_it_and_nothing_answers(route_api, idle):
    classifier = ProbeModel(time_to_first_token=STALLS_SECONDS)
    answer = ProbeModel(responses=[ANSWER], token_delay=0.0)
    api = await route_api(answer, classifier=classifier)
    async with api.served.client.stream("POST", "/api/route", json={"prompt": "What is 25 * 17?"}, headers=api.headers) as response:
        assert response.status_code == 200
        assert await api.served.wait_until(lambda: bool(classifier.records)), "the classifier was never called"
    # Leaving the block closes the connection before any event.
    idle(api.url)

    assert classifier.record.outcome == "cancelled", classifier.record.outcome
    assert answer.records == [], "an answer was started for a client that had left"


async def test_a_client_that_leaves_during_the_answer_cancels_it(route_api, idle):
    model = ProbeModel(responses=[LONG_ANSWER], token_delay=0.05)  # one model: the classifier and the answer
    api = await route_api(model)
    reply = await api.ask("What is the capital of France?", stop_after=5)
    assert reply.names == ["route", "token", "token", "token", "token"]
    idle(api.url)

    classifier, answer = model.records
    assert classifier.outcome == "completed"
    assert answer.outcome in {"cancelled", "closed"}, answer.outcome
    assert len(answer.chunks) < len(tokenize(LONG_ANSWER)), "the model kept writing after the client left"


@pytest.mark.parametrize(
    ("content", "token", "status", "code"),
    [
        ({"prompt": "What is 25 * 17?"}, False, 401, "missing_token"),
        ({"prompt": "   "}, True, 422, "invalid_request"),
        ({"question": "What is 25 * 17?"}, True, 422, "invalid_request"),
        ({"prompt": 25}, True, 422, "invalid_request"),
        ({"prompt": "x" * 4001}, True, 422, "invalid_request"),
        (b'{"prompt": "What is', True, 400, "invalid_json"),
        (b"[]", True, 422, "invalid_request"),
    ],
    ids=["no-token", "blank", "no-prompt", "not-text", "too-long", "broken-json", "not-an-object"],
)
async def test_bad_requests_get_a_json_error_and_call_no_model(route_api, content, token, status, code):
    model = ProbeModel(responses=[ANSWER], token_delay=0.0)
    api = await route_api(model)
    headers = {**(api.headers if token else {}), "Content-Type": "application/json"}
    if isinstance(content, bytes):
        response = await api.served.client.post("/api/route", content=content, headers=headers)
    else:
        response = await api.served.post_json("/api/route", content, headers=headers)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["error"]["code"] == code
    assert model.records == [], "no model is called for a request that is refused"


async def test_a_forged_token_is_refused(route_api):
    model = ProbeModel(token_delay=0.0)
    api = await route_api(model)
    response = await api.served.post_json("/api/route", {"prompt": "hi"}, headers={"Authorization": "Bearer not.a.token"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"
    assert "Bearer" in response.headers["www-authenticate"]
    assert model.records == []


async def test_the_openapi_schema_documents_each_event(route_api):
    api = await route_api(ProbeModel())
    schema = (await api.served.client.get("/openapi.json")).json()
    routed, generate = schema["paths"]["/api/route"]["post"], schema["paths"]["/api/generate"]["post"]
    events = routed["responses"]["200"]["content"]["text/event-stream"]["schema"]["oneOf"]
    assert [event["properties"]["event"]["const"] for event in events] == ["route", "token", "done", "error"]
    route_data = events[0]["properties"]["data"]["contentSchema"]
    assert set(route_data["required"]) == {"category", "fallback", "reason"}
    assert route_data["properties"]["category"]["enum"] == ["math", "code", "general"]
    assert route_data["properties"]["fallback"]["type"] == "boolean"
    generated = generate["responses"]["200"]["content"]["text/event-stream"]["schema"]["oneOf"]
    assert events[1:3] == generated[:2], "token and done are those of /api/generate"
    assert events[3]["properties"]["data"]["contentSchema"]["properties"]["error"]["properties"]["code"]["enum"] == [
        "rate_limited", "upstream_failed", "stream_interrupted"]
    assert routed["responses"].keys() == generate["responses"].keys() - {"429", "502"}, "a model's failure is an event here"
    assert routed["requestBody"] == generate["requestBody"]
    assert routed["security"] == generate["security"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_page_offers_the_routed_chat_in_each_language(serve, lang):
    url = serve()
    html = httpx.get(f"{url}/?lang={lang}").text
    assert '<input id="route-question" name="route-question" type="checkbox">' in html
    assert f'<label for="route-question">{t("server.label_route", lang)}</label>' in html
    for category in routed_chat.CATEGORIES:
        assert f'data-{category}="{t(f"server.route_{category}", lang)}"' in html
    assert f'title="{t("server.route_fallback_title", lang)}" hidden' in html
    assert f'>{t("server.route_fallback", lang)}</span>' in html
    for reason in ("error", "invalid_label", "timeout"):
        assert f'data-{reason}="{t(f"server.fallback_{reason}", lang)}"' in html, "each fallback's reason, for its tooltip"
    assert t("server.status_routing", lang) in html, "the script's messages are in the page"
    for asset, kind in (("route.js", "javascript"), ("route.css", "text/css")):
        response = httpx.get(f"{url}/static/{asset}")
        assert response.status_code == 200 and kind in response.headers["content-type"]
        assert f"/static/{asset}" in html


def test_the_classifier_budget_comes_from_the_environment():
    assert ServerSettings.from_env({}).route_timeout_seconds == 5.0
    assert ServerSettings.from_env({ROUTE_TIMEOUT_ENV: "2.5"}).route_timeout_seconds == 2.5
    for bad in ("0", "-1", "soon", "nan", "inf"):
        with pytest.raises(ServerConfigError, match=ROUTE_TIMEOUT_ENV):
            ServerSettings.from_env({ROUTE_TIMEOUT_ENV: bad})

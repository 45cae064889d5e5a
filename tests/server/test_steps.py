"""``POST /api/steps`` over real HTTP: every step starts and ends around the tokens, then done, or error mid-stream.

The client is :class:`coursekit.testing.http.Served` on real uvicorn, and the model a
:class:`PacedProbe` that waits for that client, so "streamed, not buffered" is an order of
events, never a timing.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from langchain_core.runnables import Runnable

from coursekit.i18n import t
from coursekit.replies import tokenize
from coursekit.testing import (
    CHUNK_LAYOUTS,
    PacedProbe,
    ProbeModel,
    SSEReply,
    assert_incremental,
    assert_partial_text_kept,
)

ANSWER = "Each step of the chain reports its start and its end, and the model's tokens flow in between."
LONG_ANSWER = " ".join(f"word{n}" for n in range(300))
#: The steps of prompt | model | parser, in the order they start.
STEPS = [("ChatPromptTemplate", "prompt"), ("PacedProbe", "chat_model"), ("StrOutputParser", "parser")]


@pytest.fixture
def steps_api(stream_api: Callable[[Runnable, str], Awaitable[Any]]) -> Callable[[Runnable], Awaitable[Any]]:
    """``await steps_api(model)`` starts a server with ``model`` and logs in, for ``/api/steps``."""
    return lambda model: stream_api(model, "/api/steps")


def steps_by_run(reply: SSEReply) -> dict[str, list[dict[str, str]]]:
    """The step events of each run, in order, keyed by run id (in the order the runs started)."""
    runs: dict[str, list[dict[str, str]]] = {}
    for step in reply.payloads("step"):
        runs.setdefault(step["id"], []).append(step)
    return runs


def position(reply: SSEReply, run_id: str, status: str) -> int:
    """Where a run's start or end is among all the events of the reply."""
    for number, event in enumerate(reply.events):
        if event.event == "step" and (json.loads(event.data)["id"], json.loads(event.data)["status"]) == (run_id, status):
            return number
    raise AssertionError(f"no step event with status {status} for run {run_id}")


@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_each_step_starts_and_ends_around_the_tokens_then_done(steps_api, layout):
    probe = PacedProbe(responses=[ANSWER], chunk_layout=layout)
    api = await steps_api(probe)
    reply = await api.ask("Why watch the steps?", lockstep=probe)

    assert reply.content_type.startswith("text/event-stream")
    runs = steps_by_run(reply)
    assert [(steps[0]["name"], steps[0]["type"]) for steps in runs.values()] == STEPS
    for run_id, steps in runs.items():
        assert [step["status"] for step in steps] == ["start", "end"], steps
        assert steps[0] | {"status": "end"} == steps[1], "a step's end names the same run, parent, name and type"
    assert len({steps[0]["parent"] for steps in runs.values()}) == 1, "all three run directly in the chain"
    assert not {steps[0]["parent"] for steps in runs.values()} & runs.keys()

    prompt, model, parser = runs
    tokens = [n for n, event in enumerate(reply.events) if event.event == "token"]
    assert position(reply, prompt, "end") < tokens[0], "the prompt is ready before the model writes"
    assert position(reply, model, "start") < tokens[0] and tokens[-1] < position(reply, model, "end")
    assert position(reply, parser, "start") < tokens[1], "the parser starts with the model's first chunk"
    assert reply.token_texts == tokenize(ANSWER)
    assert [reply.events[n].id for n in tokens] == [str(n) for n in range(1, len(tokens) + 1)]

    assert reply.names[-1] == "done" and reply.names.count("done") == 1
    done = reply.payloads("done")[0]
    assert (done["tokens"], done["finish_reason"]) == (len(tokens), "stop")
    assert not probe.gave_up, "the model had to stop waiting for the client: events were held back"
    assert_incremental(reply.received, probe)
    assert probe.record.outcome == "completed"


async def test_a_step_inside_a_step_names_it_as_parent(steps_api):
    """A model with a fallback runs inside RunnableWithFallbacks: its step's parent is that step's id."""
    probe = PacedProbe(responses=[ANSWER])
    api = await steps_api(probe.with_fallbacks([ProbeModel(responses=["The backup answers."])]))
    reply = await api.ask("hi", lockstep=probe)

    runs = steps_by_run(reply)
    by_name = {steps[0]["name"]: steps[0] for steps in runs.values()}
    assert by_name["PacedProbe"]["parent"] == by_name["RunnableWithFallbacks"]["id"]
    assert by_name["RunnableWithFallbacks"]["parent"] == by_name["ChatPromptTemplate"]["parent"]
    fallbacks = by_name["RunnableWithFallbacks"]["id"]
    assert position(reply, fallbacks, "start") < position(reply, by_name["PacedProbe"]["id"], "start")
    assert position(reply, by_name["PacedProbe"]["id"], "end") < position(reply, fallbacks, "end")
    assert "".join(reply.token_texts) == ANSWER


@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_a_fault_mid_stream_becomes_an_error_event(steps_api, idle, layout):
    probe = ProbeModel(responses=[LONG_ANSWER], token_delay=0.0, error_after=3, chunk_layout=layout)
    api = await steps_api(probe)
    reply = await api.ask("hi", headers={"Accept-Language": "pt-BR"})

    assert reply.names.count("token") == 3
    assert reply.names[-1] == "error" and "done" not in reply.names
    error = reply.payloads("error")[0]["error"]
    assert error == {"code": "stream_interrupted", "message": t("server.stream_interrupted", "pt"), "tokens": 3}
    assert_partial_text_kept("".join(reply.token_texts), probe)

    runs = steps_by_run(reply)
    status = {steps[0]["type"]: [step["status"] for step in steps] for steps in runs.values()}
    assert status == {"prompt": ["start", "end"], "chat_model": ["start"], "parser": ["start"]}, "the failed steps never end"
    idle(api.url)  # the stream was closed and counted out


async def test_a_failure_before_the_first_token_is_an_http_error(steps_api):
    api = await steps_api(ProbeModel(rate_limited=True))
    response = await api.served.post_json("/api/steps", {"prompt": "hi"}, headers=api.headers)
    assert response.status_code == 429
    assert response.headers["retry-after"] == "1"
    assert response.json() == {"error": {"code": "rate_limited", "message": t("server.rate_limited", "en", seconds=1)}}


@pytest.mark.parametrize(
    ("body", "token", "status", "code"),
    [({"prompt": "hi"}, False, 401, "missing_token"), ({"prompt": " "}, True, 422, "invalid_request"), ({"text": "hi"}, True, 422, "invalid_request")],
)
async def test_login_and_a_prompt_are_required(steps_api, body, token, status, code):
    probe = ProbeModel(responses=[ANSWER], token_delay=0.0)
    api = await steps_api(probe)
    response = await api.served.post_json("/api/steps", body, headers=api.headers if token else {})
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert probe.records == [], "the model is not called"


async def test_a_client_that_leaves_cancels_the_chain(steps_api, idle):
    probe = ProbeModel(responses=[LONG_ANSWER], token_delay=0.05)
    api = await steps_api(probe)
    reply = await api.ask("hi", stop_after=8)
    assert reply.names.count("token") >= 1
    idle(api.url)

    record = probe.record
    assert record.outcome in {"cancelled", "closed"}, record.outcome
    assert len(record.chunks) < len(LONG_ANSWER.split()), "the model kept writing after the client left"


async def test_the_openapi_schema_documents_each_event(steps_api):
    api = await steps_api(ProbeModel())
    schema = (await api.served.client.get("/openapi.json")).json()
    steps, generate = schema["paths"]["/api/steps"]["post"], schema["paths"]["/api/generate"]["post"]
    events = steps["responses"]["200"]["content"]["text/event-stream"]["schema"]["oneOf"]
    assert [event["properties"]["event"]["const"] for event in events] == ["step", "token", "done", "error"]
    step_data = events[0]["properties"]["data"]["contentSchema"]
    assert set(step_data["required"]) == {"id", "parent", "name", "type", "status"}
    assert step_data["properties"]["status"] == {"enum": ["start", "end"]}
    assert events[1:] == generate["responses"]["200"]["content"]["text/event-stream"]["schema"]["oneOf"]
    assert steps["responses"].keys() == generate["responses"].keys()
    assert steps["requestBody"] == generate["requestBody"]
    assert steps["security"] == generate["security"]


@pytest.mark.parametrize("lang", ["en", "pt", "id"])
def test_the_page_offers_the_steps_view_in_each_language(serve, lang):
    url = serve()
    html = httpx.get(f"{url}/?lang={lang}").text
    assert '<input id="show-steps" name="show-steps" type="checkbox">' in html
    assert f'<label for="show-steps">{t("server.label_show_steps", lang)}</label>' in html
    assert t("server.steps_heading", lang) in html
    for state in ("running", "ended", "interrupted"):
        assert f'data-{state}="{t(f"server.step_{state}", lang)}"' in html
    for asset, kind in (("steps.js", "javascript"), ("steps.css", "text/css")):
        response = httpx.get(f"{url}/static/{asset}")
        assert response.status_code == 200 and kind in response.headers["content-type"]
        assert f"/static/{asset}" in html

"""``POST /api/form`` over real HTTP: JSON Patch operations while the model writes, then the checked object, or an error.

The server runs on real uvicorn and the client applies each ``patch`` event with the ``jsonpatch``
package as it arrives. The model is a :class:`PacedProbe` that writes its next chunk only once
this client has seen what the chunks so far changed in the object, so "a field grows while the
model is still writing" is an order of events, never a timing.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import jsonpatch
import pytest
from httpx_sse import ServerSentEvent, aconnect_sse
from langchain_core.runnables import Runnable
from langchain_core.utils.json import parse_json_markdown

from coursekit.i18n import t
from coursekit.replies import tokenize
from coursekit.server.page import VENDOR_DIR
from coursekit.server.schemas import MAX_PROMPT_CHARS
from coursekit.testing import CHUNK_LAYOUTS, PacedProbe, ProbeModel, Received, assert_incremental

OBJECT = {
    "topic": "JSON over SSE",
    "summary": "Each change to the object travels as a JSON Patch, so the form fills while the model writes.",
    "key_points": ["The first patch replaces the root.", "A growing string is sent whole.", "Check the object at the end."],
    "confidence": 0.8,
}
#: As a model writes it (and the fake does): indented, cut into tokens by the probe.
ANSWER = json.dumps(OBJECT, indent=2, ensure_ascii=False)
LONG_ANSWER = json.dumps({**OBJECT, "summary": " ".join(f"word{n}" for n in range(300))}, indent=2)


@pytest.fixture
def form_api(stream_api: Callable[[Runnable, str], Awaitable[Any]]) -> Callable[[Runnable], Awaitable[Any]]:
    """``await form_api(model)`` starts a server with ``model`` and logs in, for ``/api/form``."""
    return lambda model: stream_api(model, "/api/form")


def partial_objects(answer: str) -> list[Any]:
    """What the parser reads after each text chunk of ``answer``: the partial JSON of the text so far."""
    objects, text = [], ""
    for piece in tokenize(answer):
        text += piece
        try:
            objects.append(parse_json_markdown(text.strip()))
        except json.JSONDecodeError:
            objects.append(None)
    return objects


@dataclass
class PacedRead:
    events: list[ServerSentEvent] = field(default_factory=list)
    document: Any = None
    #: For each text chunk the client let the model go past: the object it had then, and the model's state.
    released: list[tuple[Any, str]] = field(default_factory=list)
    reader: Received = field(default_factory=Received)


async def read_paced(api: Any, prompt: str, probe: PacedProbe, answer: str) -> PacedRead:
    """Apply each patch as it arrives; let the model write its next chunk only once the object shows the last one."""
    expected = partial_objects(answer)
    read = PacedRead()
    probe.follow(read.reader)
    async with aconnect_sse(api.served.client, "POST", "/api/form", json={"prompt": prompt}, headers=api.headers) as source:
        assert source.response.status_code == 200
        async for event in source.aiter_sse():
            read.events.append(event)
            if event.event != "patch":
                continue
            read.document = jsonpatch.apply_patch(read.document, json.loads(event.data))
            # This chunk's change is in, and so is that of the chunks after it that changed nothing.
            while len(read.released) < len(expected) and expected[len(read.released)] == read.document:
                read.released.append((copy.deepcopy(read.document), probe.record.outcome))
                read.reader(event.data)
    return read


def patches_of(events: list[ServerSentEvent]) -> list[list[dict[str, Any]]]:
    return [json.loads(event.data) for event in events if event.event == "patch"]


@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_patches_fill_the_object_while_the_model_writes_then_done(form_api, layout):
    probe = PacedProbe(responses=[ANSWER], chunk_layout=layout)
    api = await form_api(probe)
    read = await read_paced(api, "Why send JSON Patch over SSE?", probe, ANSWER)

    names = [event.event for event in read.events]
    assert names[-1] == "done" and names.count("done") == 1 and set(names[:-1]) == {"patch"}
    patches = patches_of(read.events)
    assert [event.id for event in read.events[:-1]] == [str(n) for n in range(1, len(patches) + 1)]
    assert patches[0] == [{"op": "replace", "path": "", "value": {}}], "the first patch replaces the root"
    done = json.loads(read.events[-1].data)
    assert done == {"object": OBJECT, "patches": len(patches)}
    assert jsonpatch.apply_patch(None, [op for patch in patches for op in patch]) == OBJECT, "all the patches give the final object"
    distinct = [state for n, state in enumerate(partial_objects(ANSWER)) if n == 0 or state != partial_objects(ANSWER)[n - 1]]
    assert len(patches) == len(distinct), "one patch for each change of the partial object, no more, no less"

    summaries = [op["value"] for patch in patches for op in patch if op["path"] == "/summary"]
    assert len(summaries) > 5 and summaries[-1] == OBJECT["summary"]
    assert all(later.startswith(earlier) and later != earlier for earlier, later in zip(summaries, summaries[1:]))
    assert all(op["op"] == "replace" for patch in patches for op in patch if op["path"] == "/summary" and op["value"]), \
        "a growing string is sent whole again: RFC 6902 has no append"

    assert len(read.released) == len(tokenize(ANSWER)) and not probe.gave_up, "events were held back: the model had to stop waiting"
    assert {outcome for _, outcome in read.released} == {"running"}, "each change reached the client while the model was writing"
    partial = [obj["summary"] for obj, _ in read.released if isinstance(obj.get("summary"), str)]
    assert any(0 < len(text) < len(OBJECT["summary"]) for text in partial), "the summary was seen half-written"
    assert_incremental(read.reader, probe)
    assert probe.record.outcome == "completed"


async def test_a_fault_mid_stream_is_an_error_event_and_no_done(form_api, idle):
    probe = ProbeModel(responses=[ANSWER], token_delay=0.0, error_after=12)
    api = await form_api(probe)
    reply = await api.ask("hi", headers={"Accept-Language": "pt-BR"})

    assert reply.names[-1] == "error" and "done" not in reply.names
    patches = reply.payloads("patch")
    assert reply.payloads("error") == [{"error": {"code": "stream_interrupted", "message": t("server.stream_interrupted", "pt"), "patches": len(patches)}}]
    built = jsonpatch.apply_patch(None, [op for patch in patches for op in patch])
    assert built == partial_objects(ANSWER)[11], "the patches sent are the object as far as the model wrote it"
    assert built != OBJECT
    idle(api.url)  # the stream was closed and counted out


@pytest.mark.parametrize(
    ("answer", "code", "field"),
    [
        pytest.param("Sure! Here is the JSON you asked for: " + json.dumps(OBJECT), "answer_not_json", None, id="wrapped-in-prose"),
        pytest.param(ANSWER[: ANSWER.rindex("}")], "answer_not_json", None, id="truncated"),
        pytest.param(json.dumps({**OBJECT, "confidence": "high"}), "answer_invalid", "confidence", id="wrong-type"),
        pytest.param(json.dumps({k: v for k, v in OBJECT.items() if k != "key_points"}), "answer_invalid", "key_points", id="missing-field"),
        pytest.param(json.dumps(list(OBJECT)), "answer_invalid", "answer", id="not-an-object"),
    ],
)
async def test_an_answer_that_does_not_fit_is_an_error_not_done(form_api, answer, code, field):
    api = await form_api(ProbeModel(responses=[answer], token_delay=0.0))
    reply = await api.ask("hi", headers={"Accept-Language": "id"})

    assert reply.names.count("error") == 1 and reply.names[-1] == "error" and "done" not in reply.names
    error = reply.payloads("error")[0]["error"]
    assert error["code"] == code
    assert error["patches"] == reply.names.count("patch")
    if code == "answer_not_json":
        assert error["message"] == t("server.answer_not_json", "id")
    else:
        assert error["details"][0]["field"] == field
        assert error["message"] == t("server.answer_invalid", "id", field=field, detail=error["details"][0]["message"])


async def test_prose_wrapped_json_streams_nothing_at_all(form_api):
    """The parser reads partial JSON from the start of the text: after prose it never sees an object."""
    api = await form_api(ProbeModel(responses=["Sure! " + ANSWER], token_delay=0.0))
    reply = await api.ask("hi")
    assert reply.names == ["error"]


async def test_a_fenced_answer_is_json_too(form_api):
    api = await form_api(ProbeModel(responses=[f"```json\n{ANSWER}\n```"], token_delay=0.0))
    reply = await api.ask("hi")
    done = reply.payloads("done")
    assert done and done[0]["object"] == OBJECT
    assert jsonpatch.apply_patch(None, [op for patch in reply.payloads("patch") for op in patch]) == OBJECT


async def test_the_fake_model_fills_the_form_in_the_questions_language(form_api):
    """What `coursekit serve` shows offline: the fake answers the prompt's JSON request with the four keys."""
    api = await form_api(ProbeModel(token_delay=0.0))
    reply = await api.ask("Explique o streaming de JSON em poucas palavras")
    done = reply.payloads("done")[0]["object"]
    assert set(done) == {"topic", "summary", "key_points", "confidence"}
    assert "pedaços" in " ".join(done["key_points"])


@pytest.mark.parametrize(
    ("fault", "ending", "patched"),
    [("prose", "answer_not_json", False), ("fenced", "done", True), ("truncated", "answer_not_json", True), ("mismatch", "answer_invalid", True)],
)
async def test_each_way_the_fakes_json_goes_wrong(form_api, fault, ending, patched):
    """The fake's json_fault, as real models spoil JSON: only a fenced object still fills the form and validates."""
    api = await form_api(ProbeModel(token_delay=0.0, json_fault=fault))
    reply = await api.ask("Explain JSON streaming")
    assert (reply.names.count("patch") > 0) == patched
    last = reply.payloads(reply.names[-1])[0]
    assert (reply.names[-1] if ending == "done" else last["error"]["code"]) == ending
    if ending == "done":
        built = jsonpatch.apply_patch(None, [op for patch in reply.payloads("patch") for op in patch])
        assert built == last["object"] and set(built) == set(OBJECT)


async def test_a_failure_before_the_first_patch_is_an_http_error(form_api):
    api = await form_api(ProbeModel(rate_limited=True))
    response = await api.served.post_json("/api/form", {"prompt": "hi"}, headers=api.headers)
    assert response.status_code == 429
    assert response.headers["retry-after"] == "1"
    assert response.json() == {"error": {"code": "rate_limited", "message": t("server.rate_limited", "en", seconds=1)}}


@pytest.mark.parametrize(
    ("body", "headers", "status", "code"),
    [
        pytest.param({"prompt": "hi"}, {}, 401, "missing_token", id="no-token"),
        pytest.param({"prompt": "hi"}, {"Authorization": "Bearer not-a-token"}, 401, "invalid_token", id="bad-token"),
        pytest.param({"prompt": " "}, None, 422, "invalid_request", id="blank-prompt"),
        pytest.param({"prompt": 42}, None, 422, "invalid_request", id="prompt-not-text"),
        pytest.param({"text": "hi"}, None, 422, "invalid_request", id="no-prompt"),
        pytest.param({"prompt": "x" * (MAX_PROMPT_CHARS + 1)}, None, 422, "invalid_request", id="prompt-too-long"),
        pytest.param(["hi"], None, 422, "invalid_request", id="not-an-object"),
    ],
)
async def test_login_and_a_prompt_are_required(form_api, body, headers, status, code):
    probe = ProbeModel(responses=[ANSWER], token_delay=0.0)
    api = await form_api(probe)
    response = await api.served.client.post("/api/form", json=body, headers=api.headers if headers is None else headers)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert probe.records == [], "the model is not called"


async def test_a_body_that_is_not_json_is_a_400(form_api):
    probe = ProbeModel(responses=[ANSWER], token_delay=0.0)
    api = await form_api(probe)
    response = await api.served.client.post("/api/form", content=b'{"prompt": ', headers={**api.headers, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"
    assert probe.records == []


async def test_a_client_that_leaves_stops_the_model(form_api, idle):
    probe = ProbeModel(responses=[LONG_ANSWER], token_delay=0.05)
    api = await form_api(probe)
    reply = await api.ask("hi", stop_after=8)
    assert reply.names.count("patch") >= 1
    idle(api.url)

    record = probe.record
    assert record.outcome in {"cancelled", "closed"}, record.outcome
    assert len(record.chunks) < len(tokenize(LONG_ANSWER)), "the model kept writing after the client left"


async def test_the_openapi_schema_documents_each_event(form_api):
    api = await form_api(ProbeModel())
    schema = (await api.served.client.get("/openapi.json")).json()
    form, generate = schema["paths"]["/api/form"]["post"], schema["paths"]["/api/generate"]["post"]
    events = form["responses"]["200"]["content"]["text/event-stream"]["schema"]["oneOf"]
    assert [event["properties"]["event"]["const"] for event in events] == ["patch", "done", "error"]
    assert "id" in events[0]["required"], "patches are numbered"
    patch = events[0]["properties"]["data"]["contentSchema"]
    assert patch["type"] == "array" and set(patch["items"]["properties"]["op"]["enum"]) == {"add", "remove", "replace", "move", "copy", "test"}
    done = events[1]["properties"]["data"]["contentSchema"]
    assert set(done["properties"]["object"]["required"]) == set(OBJECT)
    error = events[2]["properties"]["data"]["contentSchema"]["properties"]["error"]
    assert set(error["properties"]["code"]["enum"]) == {"stream_interrupted", "answer_not_json", "answer_invalid"}
    assert form["responses"].keys() == generate["responses"].keys()
    assert form["requestBody"] == generate["requestBody"]
    assert form["security"] == generate["security"]


@pytest.mark.parametrize("lang", ["en", "pt", "id"])
def test_the_page_offers_the_form_view_in_each_language(serve, lang):
    url = serve()
    html = httpx.get(f"{url}/?lang={lang}").text
    assert '<input id="show-form" name="show-form" type="checkbox">' in html
    assert f'<label for="show-form">{t("server.label_show_form", lang)}</label>' in html
    assert t("server.form_heading", lang) in html
    for key in OBJECT:
        assert f'<label for="form-{key}">{t(f"server.form_{key}", lang)}</label>' in html
        assert re.search(rf'<(input|textarea) id="form-{key}" name="{key}"[^>]* readonly', html), key
    for key in ("filling", "filled"):
        assert json.dumps(t(f"server.status_{key}", lang, count="{count}"), ensure_ascii=False) in html
    for asset, kind in (("/static/form.js", "javascript"), ("/static/form.css", "text/css")):
        response = httpx.get(f"{url}{asset}")
        assert response.status_code == 200 and kind in response.headers["content-type"]
        assert f'"{asset}"' in html


def test_the_page_loads_the_pinned_fast_json_patch_from_the_server(serve):
    url = serve()
    html = httpx.get(f"{url}/").text
    scripts = re.findall(r'<script src="([^"]+)"', html)
    library = "/static/vendor/fast-json-patch/fast-json-patch.min.js"
    assert scripts.index(library) < scripts.index("/static/form.js") < scripts.index("/static/app.js")
    response = httpx.get(f"{url}{library}")
    assert response.status_code == 200 and "javascript" in response.headers["content-type"]
    assert response.text.startswith("/*! fast-json-patch, version: 3.1.1 */")
    version = (VENDOR_DIR / "VERSION").read_text(encoding="utf-8")
    assert "fast-json-patch 3.1.1" in version
    assert hashlib.sha256(response.content).hexdigest() in version, "the file served is the one VERSION describes"
    assert "MIT License" in (VENDOR_DIR / "LICENSE").read_text(encoding="utf-8")

"""Bad requests get a 4xx with the JSON error shape: never a 500, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from coursekit.i18n import t
from coursekit.server.app import MAX_BODY_BYTES
from coursekit.server.schemas import MAX_PROMPT_CHARS

JSON = {"Content-Type": "application/json"}

BAD_BODIES = [
    # (id, raw body or None for no body, extra headers, expected status, expected code)
    ("no-body", None, JSON, 422, "invalid_request"),
    ("invalid-json", b'{"prompt": "hi"', JSON, 400, "invalid_json"),
    ("not-json-at-all", b"prompt=hi", JSON, 400, "invalid_json"),
    ("json-array", b'["hi"]', JSON, 422, "invalid_request"),
    ("json-string", b'"hi"', JSON, 422, "invalid_request"),
    ("empty-object", b"{}", JSON, 422, "invalid_request"),
    ("wrong-field", b'{"text": "hi"}', JSON, 422, "invalid_request"),
    ("null", b'{"prompt": null}', JSON, 422, "invalid_request"),
    ("number", b'{"prompt": 42}', JSON, 422, "invalid_request"),
    ("list", b'{"prompt": ["hi"]}', JSON, 422, "invalid_request"),
    ("object", b'{"prompt": {"text": "hi"}}', JSON, 422, "invalid_request"),
    ("empty", b'{"prompt": ""}', JSON, 422, "invalid_request"),
    ("blank", b'{"prompt": "   \\n\\t "}', JSON, 422, "invalid_request"),
    ("too-long", b'{"prompt": "' + b"a" * (MAX_PROMPT_CHARS + 1) + b'"}', JSON, 422, "invalid_request"),
    ("plain-text-content-type", b'{"prompt": "hi"}', {"Content-Type": "text/plain"}, 422, "invalid_request"),
    ("body-too-large", b'{"prompt": "' + b"a" * 100_000 + b'"}', JSON, 413, "body_too_large"),
]


def assert_json_error(response: httpx.Response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"].strip()
    assert "Traceback" not in response.text
    return error


@pytest.mark.parametrize(("raw", "headers", "status", "code"), [case[1:] for case in BAD_BODIES], ids=[c[0] for c in BAD_BODIES])
def test_bad_generate_bodies(serve, auth, raw, headers, status, code):
    url = serve()
    response = httpx.post(f"{url}/api/generate", content=raw, headers={**auth(url), **headers})
    assert_json_error(response, status, code)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"stream": True}, "message"),
        ({"message": 7, "stream": True}, "message"),
        ({"message": "", "stream": False}, "message"),
        ({"message": "hi", "stream": "yes"}, "stream"),
        ({"message": "hi", "stream": 1}, "stream"),
        ({"message": "hi", "stream": None}, "stream"),
        ({"message": "x" * (MAX_PROMPT_CHARS + 1)}, "message"),
    ],
)
def test_bad_chat_bodies(serve, auth, body, field):
    url = serve()
    error = assert_json_error(httpx.post(f"{url}/chat", json=body, headers=auth(url)), 422, "invalid_request")
    assert [detail["field"] for detail in error["details"]] == [field]


@pytest.mark.parametrize(
    "body", [{}, {"username": "admin"}, {"username": 1, "password": "admin123"}, {"username": "admin", "password": None}]
)
def test_bad_login_bodies(serve, body):
    url = serve()
    assert_json_error(httpx.post(f"{url}/login", json=body), 422, "invalid_request")


def test_limit_is_inclusive(serve, auth):
    url = serve()
    response = httpx.post(f"{url}/chat", json={"message": "a" * MAX_PROMPT_CHARS}, headers=auth(url))
    assert response.status_code == 200


def test_too_long_says_how_long_and_the_limit(serve, auth):
    url = serve()
    response = httpx.post(f"{url}/api/generate", json={"prompt": "a" * 4321}, headers=auth(url))
    error = assert_json_error(response, 422, "invalid_request")
    assert error["message"] == t("server.field_too_long", "en", field="prompt", length=4321, limit=MAX_PROMPT_CHARS)


def test_chunked_body_over_the_limit(serve, auth):
    """A body sent without Content-Length is counted as it arrives."""
    url = serve()

    def chunks():
        yield b'{"prompt": "'
        for _ in range(20):
            yield b"a" * 10_000
        yield b'"}'

    response = httpx.post(f"{url}/api/generate", content=chunks(), headers={**auth(url), **JSON})
    assert "content-length" not in response.request.headers
    assert_json_error(response, 413, "body_too_large")


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [("GET", "/nowhere", 404, "not_found"), ("GET", "/api/generate", 405, "method_not_allowed"), ("DELETE", "/login", 405, "method_not_allowed")],
)
def test_unknown_routes_and_methods(serve, method, path, status, code):
    url = serve()
    assert_json_error(httpx.request(method, f"{url}{path}"), status, code)


@pytest.mark.parametrize(("accept_language", "lang"), [("pt-BR,pt;q=0.9,en;q=0.8", "pt"), ("id-ID", "id"), ("fr-FR, en;q=0.5", "en")])
def test_errors_speak_the_clients_language(serve, auth, accept_language, lang):
    url = serve()
    response = httpx.post(f"{url}/api/generate", json={}, headers={**auth(url), "Accept-Language": accept_language})
    error = assert_json_error(response, 422, "invalid_request")
    assert error["message"] == t("server.field_missing", lang, field="prompt")


def test_the_server_keeps_serving_after_bad_input(serve, auth):
    url = serve()
    headers = auth(url)
    for raw in (b"{", b"[]", b'{"prompt": 1}'):
        assert httpx.post(f"{url}/api/generate", content=raw, headers={**headers, **JSON}).status_code < 500
    assert httpx.post(f"{url}/chat", json={"message": "hi"}, headers=headers).status_code == 200


def test_the_documented_limits_are_the_ones_enforced():
    """The README and the day-3 guide, in all three languages, state the limits the server applies."""
    root = Path(__file__).resolve().parents[2]
    documents = [root / "README.md", *sorted((root / "modules" / "day3_sse").glob("index*.md"))]
    assert len(documents) == 4
    for document in documents:
        text = " ".join(document.read_text(encoding="utf-8").split())  # prose wraps anywhere
        assert f" {MAX_PROMPT_CHARS} " in text, f"{document.name} does not state the prompt limit"
        assert f" {MAX_BODY_BYTES // 1024} KiB" in text, f"{document.name} does not state the body limit"


@pytest.mark.parametrize("field", ["username", "password"])
def test_a_lone_surrogate_in_a_login_field_is_a_401_not_a_500(serve, field):
    url = serve()
    body = {"username": "admin", "password": "admin123", field: "\ud800"}
    raw = json.dumps(body).encode()  # ensure_ascii keeps the lone surrogate as the escape \ud800
    assert_json_error(httpx.post(f"{url}/login", content=raw, headers=JSON), 401, "wrong_credentials")


def test_a_lone_surrogate_in_a_prompt_is_a_422(serve, auth):
    url = serve()
    response = httpx.post(f"{url}/api/generate", content=b'{"prompt": "hi \\ud800"}', headers={**auth(url), **JSON})
    assert_json_error(response, 422, "invalid_request")

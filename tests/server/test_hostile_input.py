"""The reliability pass's hand-made bad inputs, kept as a test: every one gets a 4xx JSON error.

Each input is sent to one server (module-wide, so the ~80 requests cost little), and every
answer must be a 4xx with ``{"error": {"code", "message"}}``, no traceback in the body, and no
traceback in the server's log. Classes: broken JSON, wrong shapes and types, text that cannot be
encoded (lone surrogates) or is hostile (NUL, control and bidi characters), sizes at and over
the limits, bad tokens and headers, unknown routes and methods, and broken HTTP itself (sent on
a raw socket, since an HTTP client refuses to write it).
"""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Iterator

import httpx
import pytest

from coursekit.server import BackgroundServer, ServerSettings, create_app, uvicorn_options
from coursekit.server.app import MAX_BODY_BYTES
from coursekit.server.connections import MAX_HEADER_BYTES
from coursekit.server.schemas import MAX_PROMPT_CHARS
from coursekit.testing import ProbeModel

JSON = "application/json"
SURROGATE = '"\\ud800"'  # a lone surrogate, as JSON writes it: valid JSON, not encodable as UTF-8


def _body(template: str) -> bytes:
    return template.encode("utf-8", errors="surrogatepass")


#: (id, path, raw body, content type): bodies that are not what the route wants.
BODIES = [
    # Broken JSON
    ("truncated", "/api/generate", b'{"prompt": "hi"', JSON),
    ("trailing-comma", "/api/generate", b'{"prompt": "hi",}', JSON),
    ("single-quotes", "/api/generate", b"{'prompt': 'hi'}", JSON),
    ("form-encoded", "/api/generate", b"prompt=hi", JSON),
    ("nan", "/chat", b'{"message": NaN}', JSON),
    ("invalid-utf8", "/api/generate", b'{"prompt": "\xff\xfe"}', JSON),
    ("latin1-bytes", "/login", b'{"username": "adm\xe9n", "password": "x"}', JSON),
    ("deep-nesting", "/api/generate", b'{"prompt": ' + b"[" * 5000 + b"]" * 5000 + b"}", JSON),
    ("nul-byte-outside-string", "/login", b'{"username": "admin"\x00, "password": "x"}', JSON),
    ("only-whitespace", "/chat", b"   \n\t ", JSON),
    # Wrong shapes and types
    ("array", "/api/generate", b'["hi"]', JSON),
    ("string", "/chat", b'"hi"', JSON),
    ("number", "/login", b"42", JSON),
    ("null", "/login", b"null", JSON),
    ("empty-object", "/api/generate", b"{}", JSON),
    ("prompt-null", "/api/generate", b'{"prompt": null}', JSON),
    ("prompt-number", "/api/generate", b'{"prompt": 1e308}', JSON),
    ("prompt-huge-int", "/api/generate", b'{"prompt": ' + b"9" * 5000 + b"}", JSON),
    ("prompt-bool", "/api/generate", b'{"prompt": true}', JSON),
    ("prompt-list", "/api/generate", b'{"prompt": ["hi"]}', JSON),
    ("prompt-object", "/api/generate", b'{"prompt": {"$gt": ""}}', JSON),
    ("message-missing", "/chat", b'{"stream": true}', JSON),
    ("stream-string", "/chat", b'{"message": "hi", "stream": "true"}', JSON),
    ("stream-number", "/chat", b'{"message": "hi", "stream": 1}', JSON),
    ("username-number", "/login", b'{"username": 0, "password": "admin123"}', JSON),
    ("password-list", "/login", b'{"username": "admin", "password": ["admin123"]}', JSON),
    ("password-missing", "/login", b'{"username": "admin"}', JSON),
    ("sql-injection-shape", "/login", b'{"username": {"$ne": null}, "password": {"$ne": null}}', JSON),
    # Text that cannot be encoded, or is hostile
    ("surrogate-username", "/login", _body(f'{{"username": {SURROGATE}, "password": "admin123"}}'), JSON),
    ("surrogate-password", "/login", _body(f'{{"username": "admin", "password": {SURROGATE}}}'), JSON),
    ("surrogate-both", "/login", _body(f'{{"username": {SURROGATE}, "password": {SURROGATE}}}'), JSON),
    ("low-surrogate", "/login", b'{"username": "admin", "password": "\\udfff"}', JSON),
    ("surrogate-prompt", "/api/generate", _body(f'{{"prompt": {SURROGATE}}}'), JSON),
    ("surrogate-in-prompt", "/api/generate", b'{"prompt": "hi \\ud83d there"}', JSON),
    ("surrogate-message", "/chat", _body(f'{{"message": {SURROGATE}, "stream": true}}'), JSON),
    ("surrogate-key", "/login", b'{"\\ud800": "x", "username": "admin", "password": "x"}', JSON),
    ("nul-in-password", "/login", b'{"username": "admin", "password": "admin123\\u0000"}', JSON),
    ("nul-in-username", "/login", b'{"username": "\\u0000admin", "password": "admin123"}', JSON),
    ("control-chars-prompt", "/api/generate", b'{"prompt": "\\u0000\\u0001\\u001b[2J"}', None),
    ("bidi-override-username", "/login", b'{"username": "\\u202eadmin", "password": "admin123"}', JSON),
    ("blank-unicode-prompt", "/api/generate", b'{"prompt": "\\u2003\\u00a0\\n"}', JSON),
    ("empty-message", "/chat", b'{"message": ""}', JSON),
    # Sizes
    ("prompt-over-limit", "/api/generate", b'{"prompt": "' + b"a" * (MAX_PROMPT_CHARS + 1) + b'"}', JSON),
    ("message-over-limit", "/chat", b'{"message": "' + "é".encode() * (MAX_PROMPT_CHARS + 1) + b'"}', JSON),
    ("body-over-limit", "/api/generate", b'{"prompt": "' + b"a" * MAX_BODY_BYTES + b'"}', JSON),
    ("login-body-over-limit", "/login", b'{"username": "' + b"a" * MAX_BODY_BYTES + b'", "password": "x"}', JSON),
    ("long-username", "/login", b'{"username": "' + b"a" * 60_000 + b'", "password": "x"}', JSON),
    # Content types
    ("no-content-type", "/login", b'{"username": 1}', None),
    ("text-plain", "/api/generate", b'{"prompt": "hi"}', "text/plain"),
    ("form-content-type", "/login", b"username=admin&password=admin123", "application/x-www-form-urlencoded"),
    ("multipart-content-type", "/chat", b"--x\r\n\r\nhi\r\n--x--", "multipart/form-data; boundary=x"),
    ("garbage-content-type", "/api/generate", b'{"prompt": "hi"}', "\x01;;;===="),
]

#: (id, method, path, extra headers, body): requests whose headers, route or method are wrong.
REQUESTS = [
    ("no-token", "POST", "/api/generate", {}, b'{"prompt": "hi"}'),
    ("empty-authorization", "POST", "/api/generate", {"Authorization": ""}, b'{"prompt": "hi"}'),
    ("basic-scheme", "POST", "/chat", {"Authorization": "Basic YWRtaW46YWRtaW4xMjM="}, b'{"message": "hi"}'),
    ("token-garbage", "POST", "/api/generate", {"Authorization": "Bearer a.b.c"}, b'{"prompt": "hi"}'),
    ("token-huge", "POST", "/api/generate", {"Authorization": "Bearer " + "x" * 8000}, b'{"prompt": "hi"}'),
    ("token-alg-none", "POST", "/api/generate",
     {"Authorization": "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiIsImV4cCI6OTk5OTk5OTk5OX0."}, b'{"prompt": "hi"}'),
    ("get-on-post-route", "GET", "/api/generate", {}, b""),
    ("put-login", "PUT", "/login", {}, b"{}"),
    ("delete-chat", "DELETE", "/chat", {}, b""),
    ("post-health", "POST", "/health", {}, b"{}"),
    ("unknown-path", "GET", "/admin", {}, b""),
    ("path-traversal", "GET", "/static/../../etc/passwd", {}, b""),
    ("encoded-traversal", "GET", "/static/%2e%2e/%2e%2e/etc/passwd", {}, b""),
    ("missing-static", "GET", "/static/nothing.js", {}, b""),
    ("weird-lang", "POST", "/api/generate?lang=%00%ff<script>", {}, b"{}"),
]

#: (id, raw bytes): HTTP that h11 cannot parse.
RAW = [
    ("garbage-request-line", b"HELLO\r\n\r\n"),
    ("header-without-colon", b"GET /health HTTP/1.1\r\nHost: x\r\nBroken header\r\n\r\n"),
    ("space-before-colon", b"GET /health HTTP/1.1\r\nHost : x\r\n\r\n"),
    ("two-content-lengths", b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}"),
    ("negative-content-length", b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"),
    ("bad-chunk-size", b"POST /login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"),
    # Never-ending headers: refused once they pass h11's limit, not buffered until the deadline.
    ("headers-over-limit", b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (MAX_HEADER_BYTES + 1024)),
    # Headers an HTTP client refuses to write
    ("bearer-no-token", b"POST /chat HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}"),
    ("token-latin1-bytes", b"POST /chat HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\xe9st\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}"),
    ("declared-length-too-big", b"POST /api/generate HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % (10 * MAX_BODY_BYTES)),
    ("no-host", b"GET /health HTTP/1.1\r\n\r\n"),
    ("nul-in-header", b"GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n"),
]


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, dict[str, str]]]:
    """One server for all inputs; the login throttle set high, so that wrong logins stay 401s."""
    settings = ServerSettings(jwt_secret="hostile-input-secret-0123456789abcdef", login_attempts=10_000)
    app = create_app(model=ProbeModel(token_delay=0.0), settings=settings)
    with BackgroundServer(app, **uvicorn_options(settings)) as url:
        token = httpx.post(f"{url}/login", json={"username": "admin", "password": "admin123"}).json()["access_token"]
        yield url, {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    with httpx.Client(verify=False, timeout=30) as client:  # plain HTTP on loopback: no CA bundle to load
        yield client


@pytest.fixture(autouse=True)
def no_server_tracebacks(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """The server's log (its own and uvicorn's) holds no traceback for any of these inputs."""
    with caplog.at_level(logging.WARNING):
        yield
    tracebacks = [record.getMessage() for record in caplog.records if record.exc_info]
    assert not tracebacks, f"the server logged a traceback: {tracebacks}"


def assert_json_4xx(status: int, content_type: str, body: bytes) -> dict:
    text = body.decode("utf-8", errors="replace")
    assert 400 <= status < 500, f"{status}: {text[:300]}"
    assert content_type == JSON, (content_type, text[:300])
    assert "Traceback" not in text
    error = json.loads(body)["error"]
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"].strip()
    return error


@pytest.mark.parametrize(("path", "raw", "content_type"), [case[1:] for case in BODIES], ids=[case[0] for case in BODIES])
def test_bad_bodies(server, http, path, raw, content_type):
    url, headers = server
    sent = dict(headers)
    if content_type is not None:
        sent["Content-Type"] = content_type
    response = http.post(f"{url}{path}", content=raw, headers=sent)
    assert_json_4xx(response.status_code, response.headers.get("content-type", ""), response.content)


@pytest.mark.parametrize(("method", "path", "headers", "raw"), [case[1:] for case in REQUESTS], ids=[case[0] for case in REQUESTS])
def test_bad_requests(server, http, method, path, headers, raw):
    url, _ = server
    response = http.request(method, f"{url}{path}", content=raw, headers={"Content-Type": JSON, **headers})
    assert_json_4xx(response.status_code, response.headers.get("content-type", ""), response.content)


@pytest.mark.parametrize("raw", [case[1] for case in RAW], ids=[case[0] for case in RAW])
def test_broken_http(server, raw):
    url, _ = server
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        try:
            connection.sendall(raw)
        except OSError:  # the server may answer and close before it has read everything
            pass
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in header_lines)
    assert_json_4xx(int(status_line.split()[1]), headers.get("content-type", ""), body)


def test_a_declared_too_large_body_sent_whole_still_gets_its_413(server):
    """The server reads and drops a refused body (up to a bound) before it answers: closing on unread
    data resets the connection, and the client would read that instead of the JSON error."""
    url, headers = server
    host, port = url.removeprefix("http://").split(":")
    body = b'{"prompt": "' + b"a" * (8 * MAX_BODY_BYTES) + b'"}'
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    request = (f"POST /api/generate HTTP/1.1\r\nHost: {host}\r\n{head}Content-Type: {JSON}\r\n"
               f"Content-Length: {len(body)}\r\n\r\n").encode() + body
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head_part, _, payload = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head_part.decode("latin-1").split("\r\n")
    assert int(status_line.split()[1]) == 413
    assert json.loads(payload)["error"]["code"] == "body_too_large"


def test_the_catalogue_covers_the_reliability_pass():
    """The pass sent 72 hand-made inputs; the catalogue keeps at least as many, of every class."""
    assert len(BODIES) + len(REQUESTS) + len(RAW) >= 72
    ids = {case[0] for case in BODIES + REQUESTS + RAW}
    for kind in ("surrogate-username", "surrogate-password", "body-over-limit", "headers-over-limit", "token-garbage"):
        assert kind in ids

"""The login and token check of day 3's ``auth_api.py`` refuse what they must: readers copy them.

``tests/test_snippets.py`` runs the script and sees the happy path. Here its ``app`` is loaded
without the demo ``main()`` and attacked in-process: unknown users, wrong passwords and bad
tokens all get a 401, and no 401 tells the client what the JWT library thought of the token.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from types import ModuleType

import jwt
import pytest
from fastapi.testclient import TestClient

from coursekit.guides import ROOT

SNIPPET = ROOT / "modules" / "day3_sse" / "snippets" / "auth_api.py"
DEMO_CALL = "\nasyncio.run(main())\n"
#: Words of PyJWT's error messages ("Not enough segments", "Signature has expired", ...).
LIBRARY_WORDS = ("segment", "signature", "expired", "decode", "padding", "claim", "algorithm", "jwt")


@pytest.fixture(scope="module")
def snippet() -> ModuleType:
    """The snippet's module, every line but the demo call at the end."""
    source = SNIPPET.read_text(encoding="utf-8")
    assert source.endswith(DEMO_CALL), "auth_api.py no longer ends with asyncio.run(main())"
    module = ModuleType("auth_api")
    exec(compile(source.removesuffix(DEMO_CALL), str(SNIPPET), "exec"), module.__dict__)
    return module


@pytest.fixture(scope="module")
def client(snippet: ModuleType) -> Iterator[TestClient]:
    with TestClient(snippet.app) as test_client:
        yield test_client


def token(snippet: ModuleType, secret: str | None = None, **claims: object) -> str:
    claims = {"sub": "admin", "exp": int(time.time()) + 60, **claims}
    return jwt.encode({k: v for k, v in claims.items() if v is not None}, secret or snippet.SECRET, algorithm="HS256")


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("mallory", ""),  # the bypass: an unknown user compared with a default of ""
        ("mallory", "admin123"),  # another user's password
        ("", ""),
        ("admin", ""),
        ("admin", "admin12"),
        ("Admin", "admin123"),
    ],
)
def test_login_refuses_unknown_users_and_wrong_passwords(client: TestClient, username: str, password: str) -> None:
    response = client.post("/login", json={"username": username, "password": password})
    assert response.status_code == 401, response.text
    assert "access_token" not in response.text


def test_login_accepts_the_demo_user_and_the_token_opens_chat(client: TestClient) -> None:
    response = client.post("/login", json={"username": "admin", "password": "admin123"})
    assert response.status_code == 200
    headers = {"Authorization": f"Bearer {response.json()['access_token']}"}
    assert client.post("/chat", json={"message": "hi"}, headers=headers).status_code == 200


def bad_tokens(snippet: ModuleType) -> dict[str, str]:
    return {
        "not a JWT": "let-me-in",
        "expired": token(snippet, exp=int(time.time()) - 10),
        "another secret": token(snippet, secret="not-the-server-secret-but-32-bytes-long"),
        "no sub": token(snippet, sub=None),
        "no exp": token(snippet, exp=None),
        "tampered": token(snippet)[:-2] + "xx",
    }


@pytest.mark.parametrize("path", ["/chat", "/api/generate"])
def test_a_bad_token_gets_a_plain_401(snippet: ModuleType, client: TestClient, path: str) -> None:
    body = {"message": "hi"} if path == "/chat" else {"prompt": "hi"}
    for name, bad in bad_tokens(snippet).items():
        response = client.post(path, json=body, headers={"Authorization": f"Bearer {bad}"})
        assert response.status_code == 401, f"{name}: {response.status_code} {response.text}"
        assert response.headers["www-authenticate"] == "Bearer", name
        detail = response.json()["detail"].lower()
        leaked = [word for word in LIBRARY_WORDS if word in detail]
        assert leaked == [], f"{name}: the 401 repeats the library's reason: {response.json()['detail']!r}"

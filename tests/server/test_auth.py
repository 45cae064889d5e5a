"""Logging in, and every way a token can be missing or wrong: always 401 with a JSON error."""

from __future__ import annotations

import time

import httpx
import jwt
import pytest

from coursekit.server import ServerSettings
from coursekit.testing import ProbeModel

PROTECTED = [("/api/generate", {"prompt": "hi"}), ("/chat", {"message": "hi", "stream": True}), ("/chat", {"message": "hi"})]


def assert_error(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"].strip()


def test_login_returns_a_bearer_token_that_expires(serve, settings):
    url = serve()
    before = int(time.time())
    response = httpx.post(f"{url}/login", json={"username": "admin", "password": "admin123"})
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600
    claims = jwt.decode(body["access_token"], settings.jwt_secret, algorithms=["HS256"])
    assert claims["sub"] == "admin"
    assert before + 3600 <= claims["exp"] <= int(time.time()) + 3600


@pytest.mark.parametrize(
    ("username", "password"), [("admin", "wrong"), ("root", "admin123"), ("admin", ""), ("ADMIN", "admin123")]
)
def test_wrong_credentials_are_refused(serve, username, password):
    url = serve()
    response = httpx.post(f"{url}/login", json={"username": username, "password": password})
    assert_error(response, 401, "wrong_credentials")
    assert "access_token" not in response.text


def test_credentials_come_from_settings(serve, auth):
    url = serve(settings=ServerSettings(username="teacher", password="a-long-class-password"))
    assert_error(httpx.post(f"{url}/login", json={"username": "admin", "password": "admin123"}), 401, "wrong_credentials")
    response = httpx.post(f"{url}/api/generate", json={"prompt": "hi"}, headers=auth(url, "teacher", "a-long-class-password"))
    assert response.status_code == 200


@pytest.mark.parametrize(("path", "body"), PROTECTED)
def test_missing_token(serve, path, body):
    probe = ProbeModel(token_delay=0.0)
    url = serve(probe)
    response = httpx.post(f"{url}{path}", json=body)
    assert_error(response, 401, "missing_token")
    assert response.headers["www-authenticate"] == "Bearer"
    assert probe.records == []  # the model was never called


def _signed(secret: str, **claims: object) -> str:
    return "Bearer " + jwt.encode(claims, secret, algorithm="HS256")


@pytest.mark.parametrize(
    ("authorization", "code"),
    [
        (lambda secret: "Bearer not-a-jwt", "invalid_token"),
        (lambda secret: _signed("another-secret-of-32-characters!!", sub="admin", exp=int(time.time()) + 60), "invalid_token"),
        (lambda secret: _signed(secret, sub="admin"), "invalid_token"),
        (lambda secret: _signed(secret, exp=int(time.time()) + 60), "invalid_token"),
        (lambda secret: _signed(secret, sub="admin", exp=int(time.time()) - 5), "expired_token"),
        (lambda secret: "Basic YWRtaW46YWRtaW4xMjM=", "missing_token"),
        (lambda secret: "Bearer", "missing_token"),
    ],
    ids=["garbage", "foreign-secret", "no-exp", "no-sub", "expired", "basic-scheme", "empty-bearer"],
)
@pytest.mark.parametrize(("path", "body"), PROTECTED)
def test_bad_tokens(serve, settings, path, body, authorization, code):
    probe = ProbeModel(token_delay=0.0)
    url = serve(probe)
    headers = {"Authorization": authorization(settings.jwt_secret)}
    response = httpx.post(f"{url}{path}", json=body, headers=headers)
    assert_error(response, 401, code)
    assert probe.records == []


def test_alg_none_token_is_refused(serve):
    url = serve()
    unsigned = jwt.encode({"sub": "admin", "exp": int(time.time()) + 60}, None, algorithm="none")
    response = httpx.post(f"{url}/api/generate", json={"prompt": "hi"}, headers={"Authorization": f"Bearer {unsigned}"})
    assert_error(response, 401, "invalid_token")


def test_token_lifetime_comes_from_settings(serve):
    url = serve(settings=ServerSettings(jwt_secret="x" * 40, token_ttl_seconds=90))
    body = httpx.post(f"{url}/login", json={"username": "admin", "password": "admin123"}).json()
    claims = jwt.decode(body["access_token"], "x" * 40, algorithms=["HS256"])
    assert body["expires_in"] == 90
    assert claims["exp"] - claims["iat"] == 90


def test_secret_is_random_per_start(serve, auth):
    """Without COURSE_SERVER_JWT_SECRET, a token from one server start is useless on the next."""
    first = serve(settings=ServerSettings())
    second = serve(settings=ServerSettings())
    headers = auth(first)
    assert httpx.post(f"{first}/chat", json={"message": "hi"}, headers=headers).status_code == 200
    assert_error(httpx.post(f"{second}/chat", json={"message": "hi"}, headers=headers), 401, "invalid_token")

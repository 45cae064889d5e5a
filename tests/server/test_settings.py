"""The server refuses to be reachable from the network with demo credentials or secret.

These tests never bind a socket: the check runs before anything listens.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

import coursekit.server.serve as serving
from coursekit.server import ServerConfigError, ServerSettings, UnsafeServerError
from coursekit.server.settings import MIN_SECRET_LENGTH, is_loopback

STRONG_SECRET = "s" * MIN_SECRET_LENGTH
PUBLIC_HOSTS = ["0.0.0.0", "::", "192.168.1.20", "10.0.0.5", "example.org", "my-laptop.local"]
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "LOCALHOST", "::1", "[::1]", "127.0.0.2"]


@pytest.mark.parametrize("host", LOOPBACK_HOSTS)
def test_demo_settings_are_fine_on_loopback(host):
    assert is_loopback(host)
    ServerSettings().ensure_safe_for(host)


@pytest.mark.parametrize("host", PUBLIC_HOSTS)
def test_demo_settings_are_refused_on_other_hosts(host):
    assert not is_loopback(host)
    with pytest.raises(UnsafeServerError) as refused:
        ServerSettings().ensure_safe_for(host)
    message = str(refused.value)
    assert host in message
    assert "COURSE_SERVER_PASSWORD" in message
    assert "COURSE_SERVER_JWT_SECRET" in message


@pytest.mark.parametrize(
    ("settings", "names"),
    [
        (ServerSettings(password="a-real-password", jwt_secret=None), ["COURSE_SERVER_JWT_SECRET"]),
        (ServerSettings(password="a-real-password", jwt_secret="short"), ["COURSE_SERVER_JWT_SECRET"]),
        (ServerSettings(username="teacher", jwt_secret=STRONG_SECRET), ["COURSE_SERVER_PASSWORD"]),
    ],
    ids=["no-secret", "short-secret", "demo-password"],
)
def test_each_remaining_problem_is_named(settings, names):
    problems = settings.problems_for("0.0.0.0")
    assert len(problems) == len(names)
    assert all(name in problem for name, problem in zip(names, problems))


def test_real_password_and_secret_may_listen_anywhere():
    ServerSettings(password="a-real-password", jwt_secret=STRONG_SECRET).ensure_safe_for("0.0.0.0")


def test_settings_come_from_the_environment():
    env = {
        "COURSE_SERVER_USERNAME": "teacher",
        "COURSE_SERVER_PASSWORD": "a-real-password",
        "COURSE_SERVER_JWT_SECRET": STRONG_SECRET,
        "COURSE_SERVER_TOKEN_TTL": "120",
    }
    assert ServerSettings.from_env(env) == ServerSettings("teacher", "a-real-password", STRONG_SECRET, 120)
    assert ServerSettings.from_env({"COURSE_SERVER_PASSWORD": "", "COURSE_SERVER_JWT_SECRET": ""}) == ServerSettings()


@pytest.mark.parametrize("ttl", ["0", "-5", "soon", "1.5"])
def test_a_bad_token_lifetime_is_a_clear_error(ttl):
    with pytest.raises(ServerConfigError, match="COURSE_SERVER_TOKEN_TTL"):
        ServerSettings.from_env({"COURSE_SERVER_TOKEN_TTL": ttl})


def test_run_refuses_before_binding(monkeypatch):
    def must_not_serve(*args, **kwargs):
        raise AssertionError("uvicorn was started on a public host with demo settings")

    monkeypatch.setattr(serving.uvicorn, "run", must_not_serve)
    with pytest.raises(UnsafeServerError):
        serving.run("0.0.0.0", 8765)


def test_module_entry_point_refuses_with_one_line_and_exit_code_2():
    result = subprocess.run(
        [sys.executable, "-m", "coursekit.server", "--host", "0.0.0.0", "--port", "8765"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert "0.0.0.0" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_limits_come_from_the_environment():
    env = {
        "COURSE_SERVER_HEADER_TIMEOUT": "2.5",
        "COURSE_SERVER_BODY_TIMEOUT": "4",
        "COURSE_SERVER_MAX_CONNECTIONS": "20000",
        "COURSE_SERVER_LOGIN_ATTEMPTS": "3",
        "COURSE_SERVER_LOGIN_WINDOW": "300",
    }
    settings = ServerSettings.from_env(env)
    assert (settings.header_timeout_seconds, settings.body_timeout_seconds, settings.max_connections) == (2.5, 4.0, 20000)
    assert (settings.login_attempts, settings.login_window_seconds) == (3, 300)


@pytest.mark.parametrize(
    ("variable", "value"),
    [("COURSE_SERVER_HEADER_TIMEOUT", "0"), ("COURSE_SERVER_BODY_TIMEOUT", "nan"), ("COURSE_SERVER_BODY_TIMEOUT", "inf"),
     ("COURSE_SERVER_MAX_CONNECTIONS", "1.5"), ("COURSE_SERVER_LOGIN_ATTEMPTS", "-1"), ("COURSE_SERVER_LOGIN_WINDOW", "soon")],
)
def test_a_bad_limit_is_a_clear_error(variable, value):
    with pytest.raises(ServerConfigError, match=variable):
        ServerSettings.from_env({variable: value})

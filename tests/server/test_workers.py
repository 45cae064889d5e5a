"""``coursekit serve --workers N``: one secret for all workers, so a token works wherever it lands.

A keep-alive connection stays with the worker that accepted it, so the test knows which worker
answers each request: it logs in on one connection, finds a connection that another worker
accepted (``/health`` names it), and streams there with the token.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from httpx_sse import connect_sse

import coursekit.server.serve as serving
from coursekit.server.settings import MIN_SECRET_LENGTH, SECRET_ENV, ServerConfigError

#: Connections tried before concluding that only one worker accepts: each one goes to either.
TRIES = 200
#: Three interpreters importing FastAPI and LangChain at once: on a busy 2-core machine, minutes.
STARTUP_SECONDS = 240


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def two_workers() -> Iterator[str]:
    """``coursekit serve --workers 2`` on a free port, without COURSE_SERVER_JWT_SECRET; stopped with Ctrl+C.

    Ready once both workers have logged uvicorn's "Application startup complete.".
    """
    port = free_port()
    env = {**os.environ, "COURSE_FAKE_LATENCY": "0.01,0.001"}
    env.pop(SECRET_ENV, None)
    command = [sys.executable, "-m", "coursekit", "serve", "--workers", "2", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    log: list[str] = []
    reader = threading.Thread(target=lambda: log.extend(process.stderr), daemon=True)  # type: ignore[arg-type]
    reader.start()
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while sum("Application startup complete" in line for line in log) < 2:
            assert process.poll() is None, "".join(log)
            assert time.monotonic() < deadline, "the workers did not start:\n" + "".join(log)
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        reader.join(timeout=10)
    assert "Traceback" not in "".join(log), "".join(log)


def connection_of(response: httpx.Response) -> tuple[str, int]:
    """The client's end of the TCP connection a response came on."""
    return response.extensions["network_stream"].get_extra_info("client_addr")


def one_connection(url: str) -> httpx.Client:
    return httpx.Client(base_url=url, limits=httpx.Limits(max_connections=1), timeout=30, verify=False)


@pytest.mark.slow
@pytest.mark.timeout(STARTUP_SECONDS + 120)
def test_a_token_from_one_worker_streams_through_another(two_workers):
    with one_connection(two_workers) as first:
        token = first.post("/login", json={"username": "admin", "password": "admin123"}).json()["access_token"]
        login_worker = first.get("/health").json()["worker"]

    opened: list[httpx.Client] = []  # kept open, so that each new connection is a new accept
    try:
        for _ in range(TRIES):
            other = one_connection(two_workers)
            opened.append(other)
            before = other.get("/health")
            before_on = connection_of(before)
            if before.json()["worker"] != login_worker:
                break
        else:
            pytest.fail(f"{TRIES} connections all went to {login_worker}: the second worker never accepted one")

        headers = {"Authorization": f"Bearer {token}"}
        with connect_sse(other, "POST", "/api/generate", json={"prompt": "hi"}, headers=headers) as source:
            assert source.response.status_code == 200, source.response.read()
            events = [(sse.event, json.loads(sse.data)) for sse in source.iter_sse()]
            streamed_on = connection_of(source.response)
        after = other.get("/health")
        after_on = connection_of(after)
    finally:
        for client in opened:
            client.close()

    assert before_on == streamed_on == after_on  # one connection, so one worker
    assert after.json()["worker"] == before.json()["worker"] != login_worker
    assert events[-1][0] == "done" and events[-1][1]["tokens"] == sum(kind == "token" for kind, _ in events) > 0


def test_the_parent_makes_up_one_secret_for_all_workers(monkeypatch):
    started = {}
    monkeypatch.setattr(serving.uvicorn, "run", lambda app, **options: started.update(app=app, **options))
    monkeypatch.setenv(SECRET_ENV, "")  # unset, as far as the server is concerned; restored after the test
    serving.run("127.0.0.1", free_port(), workers=3)
    secret = os.environ[SECRET_ENV]  # what every spawned worker reads
    assert len(secret) >= MIN_SECRET_LENGTH
    assert (started["app"], started["factory"], started["workers"]) == (serving.APP_FACTORY, True, 3)


def test_a_secret_from_the_environment_is_kept(monkeypatch):
    monkeypatch.setattr(serving.uvicorn, "run", lambda app, **options: None)
    monkeypatch.setenv(SECRET_ENV, "s" * MIN_SECRET_LENGTH)
    serving.run("127.0.0.1", free_port(), workers=2)
    assert os.environ[SECRET_ENV] == "s" * MIN_SECRET_LENGTH


def test_zero_workers_is_a_clear_error():
    with pytest.raises(ServerConfigError, match="--workers"):
        serving.run("127.0.0.1", free_port(), workers=0)

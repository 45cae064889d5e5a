"""schemathesis against the running server: every answer must match the OpenAPI schema.

Its CLI runs every check it has (``--checks all``: no 5xx, statuses, content types, headers,
bodies and each SSE event against their schemas, invalid data refused, unsupported methods
405, auth not ignored) on real uvicorn on 127.0.0.1, once with a valid token and once without.
The run is bounded: a fixed seed, a few examples per operation, a timeout per request and per
run. The two runs go in parallel, each in its own process.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from coursekit.server import BackgroundServer, ServerSettings, create_app, uvicorn_options
from coursekit.testing import ProbeModel

SCHEMATHESIS = Path(sys.executable).with_name("st")
EXAMPLES_PER_OPERATION = 10
RUN_TIMEOUT_SECONDS = 300


def schemathesis(url: str, folder: Path, *headers: str) -> subprocess.Popen[str]:
    command = [
        str(SCHEMATHESIS), "run", f"{url}/openapi.json", "--checks", "all", "--phases", "coverage,fuzzing",
        "--max-examples", str(EXAMPLES_PER_OPERATION), "--seed", "3", "--generation-database", "none",
        "--workers", "1", "--request-timeout", "30", "--no-color", *(part for header in headers for part in ("-H", header)),
    ]
    folder.mkdir()
    return subprocess.Popen(command, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


@pytest.mark.slow
@pytest.mark.timeout(RUN_TIMEOUT_SECONDS + 60)
def test_schemathesis_finds_nothing_with_and_without_a_token(tmp_path):
    settings = ServerSettings(jwt_secret="fuzz-secret-0123456789abcdefghijklmn")
    app = create_app(model=ProbeModel(token_delay=0.0, time_to_first_token=0.0), settings=settings)
    with BackgroundServer(app, **uvicorn_options(settings)) as url:
        token = httpx.post(f"{url}/login", json={"username": "admin", "password": "admin123"}).json()["access_token"]
        operations = sum(len(methods) for methods in httpx.get(f"{url}/openapi.json").json()["paths"].values())
        runs = {
            "with a token": schemathesis(url, tmp_path / "token", f"Authorization: Bearer {token}"),
            "without a token": schemathesis(url, tmp_path / "anonymous"),
        }
        outputs = {name: run.communicate(timeout=RUN_TIMEOUT_SECONDS)[0] for name, run in runs.items()}
    for name, run in runs.items():
        assert run.returncode == 0, f"schemathesis {name}:\n{outputs[name][-6000:]}"
        assert f"Tested: {operations}" in outputs[name], f"every operation is tested:\n{outputs[name][-2000:]}"

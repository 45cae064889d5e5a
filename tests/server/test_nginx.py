"""The reference server behind a real nginx, configured as the day-3 guide says.

What the cases show (nginx 1.22 and later): proxy buffering alone does not hold events back while
the client reads, because nginx passes on what it has read; compression does. With gzip on for
``text/event-stream`` and buffering on, gzip waits for a full compressed block and the answer
arrives at the end; ``proxy_buffering off`` or the server's ``X-Accel-Buffering: no`` make nginx
flush every piece, through gzip too. The guide's text says exactly this.

nginx runs as the test's child on 127.0.0.1 (``daemon off``, its pid, logs and temp files in
the test's folder), in front of the server on another loopback port. The model is a
:class:`PacedProbe` that waits for the client to receive each event before it writes the next
chunk: through a proxy that passes events on, it never waits long; through one that holds them
in its buffer, it waits in vain until it gives up and finishes, and the client gets everything
at the end. So the order of events, not a clock, tells the two apart.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coursekit.server import BackgroundServer, ServerSettings, create_app, uvicorn_options
from coursekit.testing import PacedProbe, assert_incremental
from coursekit.testing.http import ErrorRecorder, Served

ROOT = Path(__file__).resolve().parents[2]
GUIDES = [ROOT / "modules" / "day3_sse" / name for name in ("index.md", "index.pt.md", "index.id.md")]
#: Where the guide's configuration sends requests: `coursekit serve`'s address.
GUIDE_UPSTREAM = "http://127.0.0.1:8000"
ANSWER = "Through the proxy, each token should reach the reader while the model is still writing the next one."
NGINX = shutil.which("nginx") or next((path for path in ("/usr/sbin/nginx",) if Path(path).exists()), None)

needs_nginx = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (Debian: apt-get install nginx; .ci/run does it)")


def guide_location(guide: Path) -> str:
    """The one ```nginx block of a guide page."""
    blocks = re.findall(r"```nginx\n(.*?)```", guide.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) == 1, f"{guide.name} should hold exactly one nginx block, not {len(blocks)}"
    return blocks[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


#: Compression for the stream, as a site-wide setting or a CDN may have it (nginx's default is off).
GZIP_STREAMS = "    gzip on;\n    gzip_min_length 1;\n    gzip_types text/event-stream;"


def nginx_conf(location: str, listen: int, folder: Path, *, gzip: bool) -> str:
    """A whole nginx.conf around the guide's ``location`` block, with every path in ``folder``."""
    temp = "\n".join(f"    {kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    if gzip:
        temp += "\n" + GZIP_STREAMS
    return f"""daemon off;
worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
{temp}
    server {{
        listen 127.0.0.1:{listen};
{location}
    }}
}}
"""


@pytest.fixture
def nginx(tmp_path: Path) -> Iterator[Callable[..., str]]:
    """``nginx(location, upstream_port, gzip=...)`` starts nginx with that ``location`` block and returns its URL."""
    processes: list[subprocess.Popen[bytes]] = []

    def start(location: str, upstream_port: int, *, gzip: bool) -> str:
        folder = tmp_path / f"nginx{len(processes)}"
        folder.mkdir()
        listen = free_port()
        config = folder / "nginx.conf"
        config.write_text(nginx_conf(location.replace(GUIDE_UPSTREAM, f"http://127.0.0.1:{upstream_port}"), listen, folder, gzip=gzip))
        command = [str(NGINX), "-p", str(folder), "-c", str(config), "-e", str(folder / "error.log")]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        processes.append(process)
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", listen), timeout=1).close()
                return f"http://127.0.0.1:{listen}"
            except OSError:
                if process.poll() is not None:
                    errors = (folder / "error.log").read_text() if (folder / "error.log").exists() else ""
                    pytest.fail(f"nginx did not start: {process.stderr.read().decode()} {errors}")  # type: ignore[union-attr]
                assert time.monotonic() < deadline, "nginx did not start listening"
                time.sleep(0.05)

    yield start
    for process in processes:
        process.terminate()  # SIGTERM: nginx's fast shutdown
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class WithoutAccelHeader:
    """ASGI middleware: the same app, minus its ``X-Accel-Buffering: no`` header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def strip(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [(k, v) for k, v in message["headers"] if k.lower() != b"x-accel-buffering"]
            await send(message)

        await self.app(scope, receive, strip)


@pytest.fixture
async def behind_nginx(nginx) -> AsyncIterator[Callable[..., Any]]:
    """``await behind_nginx(location, accel_header=..., gzip=...)``: (Served through nginx, the probe, the token headers).

    The client asks for gzip, as browsers do (httpx's default ``Accept-Encoding``), and decodes it.
    """
    stack: list[Any] = []

    async def start(location: str, *, accel_header: bool, gzip: bool) -> tuple[Served, PacedProbe, dict[str, str]]:
        probe = PacedProbe(responses=[ANSWER])
        settings = ServerSettings(jwt_secret="nginx-test-secret-0123456789abcdefgh")
        app: ASGIApp = create_app(model=probe, settings=settings)
        recorder = ErrorRecorder(app if accel_header else WithoutAccelHeader(app))
        server = BackgroundServer(recorder, **uvicorn_options(settings))
        server.start()
        stack.append(server)
        client = httpx.AsyncClient(base_url=nginx(location, server.port, gzip=gzip), timeout=30, verify=False)
        stack.append(client)
        login = await client.post("/login", json={"username": "admin", "password": "admin123"})
        assert login.status_code == 200, login.text
        return Served(client, recorder, "day3_sse"), probe, {"Authorization": f"Bearer {login.json()['access_token']}"}

    yield start
    for item in reversed(stack):
        await item.aclose() if isinstance(item, httpx.AsyncClient) else item.stop()


def without_buffering_off(location: str) -> str:
    """The guide's block with its ``proxy_buffering off;`` line taken out: nginx's default, buffering on."""
    lines = [line for line in location.splitlines(keepends=True) if not line.strip().startswith("proxy_buffering off;")]
    assert len(lines) < len(location.splitlines()), "the guide's block has no proxy_buffering off; line"
    return "".join(lines)


async def stream(served: Served, probe: PacedProbe, headers: dict[str, str]):
    reply = await served.sse("POST", "/api/generate", json={"prompt": "hi"}, headers=headers, lockstep=probe)
    assert reply.status == 200
    assert "".join(reply.token_texts) == ANSWER
    assert reply.names[-1] == "done"
    return reply


def test_the_three_guides_give_the_same_configuration():
    english = guide_location(GUIDES[0])
    assert GUIDE_UPSTREAM in english
    for guide in GUIDES[1:]:
        assert guide_location(guide) == english, f"{guide.name}'s nginx block differs from index.md's"


async def assert_streams(served: Served, probe: PacedProbe, headers: dict[str, str]) -> None:
    reply = await stream(served, probe, headers)
    assert not probe.gave_up, "the model waited in vain for the reader: nginx held the events back"
    assert_incremental(reply.received, probe, every_chunk=True)


@needs_nginx
@pytest.mark.slow
async def test_the_guides_configuration_streams_even_through_gzip_without_the_header(behind_nginx):
    await assert_streams(*await behind_nginx(guide_location(GUIDES[0]), accel_header=False, gzip=True))


@needs_nginx
@pytest.mark.slow
async def test_the_servers_header_alone_is_enough_behind_nginxs_defaults(behind_nginx):
    """Buffering on (nginx's default) and gzip: X-Accel-Buffering: no switches buffering off for this response."""
    await assert_streams(*await behind_nginx(without_buffering_off(guide_location(GUIDES[0])), accel_header=True, gzip=True))


@needs_nginx
@pytest.mark.slow
async def test_buffering_alone_passes_events_on_while_the_client_reads(behind_nginx):
    await assert_streams(*await behind_nginx(without_buffering_off(guide_location(GUIDES[0])), accel_header=False, gzip=False))


@needs_nginx
@pytest.mark.slow
async def test_buffering_with_gzip_and_no_header_holds_the_whole_answer(behind_nginx):
    """The stall the guide describes: nothing reaches the client until the model has finished."""
    location = without_buffering_off(guide_location(GUIDES[0]))
    served, probe, headers = await behind_nginx(location, accel_header=False, gzip=True)
    reply = await stream(served, probe, headers)
    assert probe.gave_up, "the reader received events while the model was writing: nginx did not hold them"
    assert reply.received.updates[0].seq > probe.record.done.seq, "an event arrived before the model finished"

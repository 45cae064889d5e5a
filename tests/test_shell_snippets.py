"""The shell commands the guides show, run the way a reader runs them.

Each command block is either included from ``modules/<day>/snippets/*.sh`` (executed here with
bash, the port changed from 8000 to a free one) or made only of ``coursekit`` / ``cp`` lines,
whose comments are translated and which run here too. A pasted block of anything else fails.
The curl tests watch the bytes arrive: a newcomer's ``curl -N`` must show a visible stream.
Servers are started the way a reader starts them, as processes stopped with Ctrl+C.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]
GUIDES = sorted(ROOT.glob("modules/*/index*.md"))
SHELL_BLOCK = re.compile(r"^```(?:bash|sh|shell|console)\n(?P<body>.*?)^```$", re.M | re.S)
INCLUDE = re.compile(r'^--8<-- "(?P<path>[^"]+\.sh)"$')
#: What a reader's shell finds first: this interpreter's ``python``, ``coursekit`` and ``uvicorn``.
ENV = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pasted_lines(guide: Path) -> list[str]:
    """The command lines of the guide's shell blocks that are not includes, without comments."""
    lines = []
    for block in SHELL_BLOCK.finditer(guide.read_text(encoding="utf-8")):
        for line in block["body"].splitlines():
            command = line.split("#", 1)[0].strip()
            if command and not INCLUDE.match(command):
                lines.append(command)
    return lines


def included_scripts() -> set[str]:
    return {
        match["path"]
        for guide in GUIDES
        for block in SHELL_BLOCK.finditer(guide.read_text(encoding="utf-8"))
        for line in block["body"].splitlines()
        if (match := INCLUDE.match(line.strip()))
    }


@pytest.mark.parametrize("guide", GUIDES, ids=lambda path: str(path.relative_to(ROOT / "modules")))
def test_pasted_shell_lines_are_only_coursekit_commands(guide: Path) -> None:
    """Anything else a guide runs in a shell lives in a snippet file that this module executes."""
    others = [line for line in pasted_lines(guide) if shlex.split(line)[0] not in ("coursekit", "cp")]
    assert others == [], f"put these in modules/<day>/snippets/*.sh and include them: {others}"


def test_every_included_script_exists_and_is_tested_here() -> None:
    scripts = included_scripts()
    assert scripts == {
        "modules/day1_stream/snippets/terminal_chat.sh",
        "modules/day3_sse/snippets/curl_stream.sh",
        "modules/day3_sse/snippets/curl_api.sh",
    }, "a new shell snippet needs a test in this module"
    assert all((ROOT / script).is_file() for script in scripts)


@pytest.mark.parametrize("day", sorted({guide.parent.name for guide in GUIDES}))
def test_translated_guides_run_the_same_commands(day: str) -> None:
    """Only the comments are translated: the commands are the same in en, pt and id."""
    english, *others = (pasted_lines(ROOT / "modules" / day / name) for name in ("index.md", "index.pt.md", "index.id.md"))
    assert all(lines == english for lines in others)


def run_pasted(command: str) -> str | None:
    """Run one pasted line as a reader would; what went wrong, or None."""
    program, *arguments = shlex.split(command)
    if program == "cp":
        missing = [argument for argument in arguments[:-1] if not (ROOT / argument).exists()]
        return f"{command}: no {missing}" if missing else None
    result = subprocess.run([sys.executable, "-m", "coursekit", *arguments], cwd=ROOT, env=ENV,
                            capture_output=True, text=True, timeout=180)
    expected = 1 if arguments[0] == "check" else 0
    if result.returncode != expected:
        return f"{command}: exit {result.returncode}, not {expected}\n{result.stdout}{result.stderr}"
    if not result.stdout.strip() or "Traceback" in result.stdout + result.stderr:
        return f"{command}: printed nothing or a traceback\n{result.stdout}{result.stderr}"
    return None


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_the_pasted_commands_run() -> None:
    """Each command works as printed: ``check`` grades the untouched templates, so it reports failures (exit 1).

    They run a few at a time, as a reader with two terminals might: the grades they share (the
    progress cache) must survive that too.
    """
    commands = sorted({line for guide in GUIDES for line in pasted_lines(guide)})
    assert commands, "the guides show no coursekit command"
    with ThreadPoolExecutor(max_workers=3) as pool:
        problems = [problem for problem in pool.map(run_pasted, commands) if problem]
    assert problems == []


def test_terminal_chat_script() -> None:
    script = ROOT / "modules/day1_stream/snippets/terminal_chat.sh"
    result = subprocess.run(["bash", str(script)], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("bot> ") == 2 and "tokens sent this turn" in result.stdout


@dataclass
class Served:
    """A server started by :func:`served`; ``log`` is its stderr once it has stopped."""

    port: int
    log: str = ""


@contextmanager
def served(command: list[str], port: int, cwd: Path) -> Iterator[Served]:
    """Start a server, yield once it listens on ``port``, stop it as a reader would (Ctrl+C)."""
    process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    server = Served(port)
    try:
        deadline = time.monotonic() + 45
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None, process.communicate()[1].decode(errors="replace")
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        yield server
    finally:
        process.send_signal(signal.SIGINT)
        try:
            server.log = process.communicate(timeout=20)[1].decode(errors="replace")
        except subprocess.TimeoutExpired:
            process.kill()
            server.log = process.communicate()[1].decode(errors="replace")


def arrivals(script: str, port: int) -> list[tuple[float, bytes]]:
    """Run a shell snippet against ``port`` and time every piece of its output as it arrives."""
    text = (ROOT / script).read_text(encoding="utf-8").replace("127.0.0.1:8000", f"127.0.0.1:{port}")
    process = subprocess.Popen(["bash", "-c", text], cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None
    pieces, started = [], time.monotonic()
    while piece := os.read(process.stdout.fileno(), 65536):
        pieces.append((time.monotonic() - started, piece))
    assert process.wait(timeout=60) == 0, process.stderr.read().decode(errors="replace")  # type: ignore[union-attr]
    return pieces


@pytest.fixture
def plain_app(tmp_path: Path) -> Iterator[int]:
    """What the guide says to do: the app part of plain_stream.py in main.py, under uvicorn."""
    source = (ROOT / "modules/day3_sse/snippets/plain_stream.py").read_text(encoding="utf-8")
    app_part = source.split("# --- a client")[0]
    (tmp_path / "main.py").write_text(app_part, encoding="utf-8")
    port = free_port()
    with served([sys.executable, "-m", "uvicorn", "main:app", "--port", str(port)], port, tmp_path) as server:
        yield server.port


def test_curl_shows_the_plain_stream_as_it_is_written(plain_app: int) -> None:
    pieces = arrivals("modules/day3_sse/snippets/curl_stream.sh", plain_app)
    text = b"".join(piece for _, piece in pieces).decode()
    assert text.startswith("A streaming endpoint keeps the HTTP response open") and text.endswith("still being written.")
    assert len(pieces) >= 5, "curl -N received the answer in one go: the endpoint buffered it"
    assert pieces[-1][0] - pieces[0][0] > 0.5, "the pieces arrived together, not as the model wrote them"


@pytest.fixture
def reference_server() -> Iterator[int]:
    """``python -m coursekit serve``, as a newcomer starts it: offline, with realistic pacing."""
    port = free_port()
    with served([sys.executable, "-m", "coursekit", "serve", "--port", str(port)], port, ROOT) as server:
        yield server.port


def test_curl_shows_the_reference_servers_events_as_they_come(reference_server: int) -> None:
    pieces = arrivals("modules/day3_sse/snippets/curl_api.sh", reference_server)
    frames = b"".join(piece for _, piece in pieces).decode().replace("\r\n", "\n").strip().split("\n\n")
    assert len(frames) >= 6 and "event: done" in frames[-1].splitlines(), frames
    assert all("event: token" in frame.splitlines() for frame in frames[:-1]), frames
    first_token = next(at for at, piece in pieces if b"event: token" in piece)
    done = next(at for at, piece in pieces if b"event: done" in piece)
    assert done - first_token > 0.3, "every event arrived at once: curl -N should show the stream grow"


@pytest.mark.timeout(60)
def test_coursekit_serve_shows_its_page_and_stops_cleanly_on_ctrl_c() -> None:
    port = free_port()
    with served([sys.executable, "-m", "coursekit", "serve", "--port", str(port)], port, ROOT) as server:
        assert httpx.get(f"http://127.0.0.1:{port}/", timeout=10).status_code == 200
    assert "Traceback" not in server.log
    assert f"http://127.0.0.1:{port}/" in server.log

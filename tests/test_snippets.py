"""Every snippet of every guide runs as a script and prints what its day's ``checks.toml`` expects.

Snippets are the code readers copy, so they are tested the way a reader runs them: ``python
<file>`` from the repository root, in a process of its own, offline (no key, so ``get_chat_model()``
gives the fake model). The processes are forked from one that has already imported the libraries
(tests/snippet_forkserver.py), and several runs go at once. ``modules/<day>/snippets/checks.toml`` holds one or more runs per snippet
(its header documents the keys); a snippet without a run, a run without a snippet, a run that
expects nothing and a snippet that no page of its day's guide shows all fail here.

A snippet that calls ``get_chat_model()`` promises to work on a real provider too, so each of its
runs without ``env`` also goes through ``ChatOpenAI`` and ``ChatMaritaca``, pointed at the local
OpenAI-compatible stub, with the same checks unless the run gives ``expect_openai`` or
``expect_maritaca``. A snippet whose first line starts with ``# Fake model only:`` is skipped for
the providers, with the rest of that line as the reason.

The first run of each snippet, on the fake model, is also what the site plays: its stdout, read
as it comes, is an asciinema v2 cast in ``modules/<day>/casts/<name>.cast``. The committed cast must
print the same text as a fresh run (its timing may differ, and so may the numbers the text shows,
which a loaded machine changes); ``RECORD_CASTS=1 pytest tests/test_snippets.py`` rewrites them.
"""

from __future__ import annotations

import ast
import codecs
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from langchain_core.callbacks import BaseCallbackHandler

from coursekit import FakeStreamingChatModel
from coursekit.guides import ROOT, guide_path, included_snippets, page_names, page_path, snippet_days, snippet_files
from coursekit.i18n import DEFAULT_LANGUAGE
from coursekit.openai_stub import serve_openai_stub

PROVIDERS = ("openai", "maritaca")
RUN_KEYS = {"expect", "expect_stderr", "stdin", "env", "exit_code"} | {f"expect_{name}" for name in PROVIDERS}
FAKE_ONLY = "# Fake model only:"
STUB_URL = "{openai_stub}"
#: What makes get_chat_model() build the real client, aimed at the stub (see coursekit.providers).
PROVIDER_ENV = {
    "openai": {"COURSE_PROVIDER": "openai", "OPENAI_API_KEY": "sk-local-stub", "OPENAI_BASE_URL": STUB_URL},
    "maritaca": {"COURSE_PROVIDER": "maritaca", "MARITACA_API_KEY": "local-stub", "MARITACA_API_BASE": STUB_URL},
}
#: A metadata value read from the wrong chunk prints as None: never a right answer.
MISSING_METADATA = re.compile(r"^(finish_reason|model): None$", re.M)
#: Set to 1 to rewrite the casts (conftest.py clears every COURSE_* variable, so not one of those).
RECORD_CASTS = os.environ.get("RECORD_CASTS") == "1"
CAST_WIDTH, CAST_MAX_HEIGHT = 100, 24
#: What may differ between two honest runs is measured, so it is a number: durations, rates,
#: batch sizes and their count, clock times, ports (with the padding that aligns them, and the
#: thousands separators a fast machine's rates get); and SSE keep-alive pings, which come as time
#: passes. The words and lines around them may not differ.
NUMBERS = re.compile(r" *\d+(?:,\d{3})*(?:\.\d+)?")
NUMBER_LISTS = re.compile(r"N(?:, N)+")
PINGS = re.compile(r"^: ping\b.*\r\n\r\n", re.M)


def checks_of(day: str) -> dict[str, list[dict[str, Any]]]:
    path = ROOT / "modules" / day / "snippets" / "checks.toml"
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def snippet_path(day: str, name: str) -> Path:
    return ROOT / "modules" / day / "snippets" / f"{name}.py"


def cast_path(day: str, name: str) -> Path:
    return ROOT / "modules" / day / "casts" / f"{name}.cast"


def calls_get_chat_model(source: str) -> bool:
    """Whether the code calls ``get_chat_model()`` (a mention in a comment does not count)."""
    return any(
        isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "get_chat_model"
        for node in ast.walk(ast.parse(source))
    )


def fake_only_reason(source: str) -> str | None:
    first_line = source.partition("\n")[0]
    return first_line.removeprefix(FAKE_ONLY).strip() if first_line.startswith(FAKE_ONLY) else None


def runs() -> Iterator[Any]:
    for day in snippet_days():
        for name, day_runs in checks_of(day).items():
            path = snippet_path(day, name)
            source = path.read_text(encoding="utf-8") if path.exists() else ""
            for index, run in enumerate(day_runs):
                run_id = f"{day}/{name}#{index + 1}"
                yield pytest.param(day, name, run, "fake", id=run_id)
                if "env" in run or not calls_get_chat_model(source):
                    continue
                reason = fake_only_reason(source)
                marks = [pytest.mark.skip(reason=f"fake model only: {reason}")] if reason else []
                for provider in PROVIDERS:
                    yield pytest.param(day, name, run, provider, id=f"{run_id}@{provider}", marks=marks)


class RequestCounter(BaseCallbackHandler):
    """Counts the requests the stub answers, to prove a provider run really went through it."""

    def __init__(self) -> None:
        self.requests = 0

    def on_chat_model_start(self, serialized: dict[str, Any], messages: list[Any], **kwargs: Any) -> None:
        self.requests += 1


#: Runs going at once. Most of a run is spent waiting (for the paced fake model, for a server, for
#: imports to come off the disk), so two per core keep the cores busy; the checks hold on a loaded
#: machine anyway. A recording runs alone, so that the casts' timing is the snippet's own.
SNIPPET_JOBS = 1 if RECORD_CASTS else 2 * (os.cpu_count() or 1)


@pytest.fixture(scope="module")
def snippet_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fork server the runs go through (tests/snippet_forkserver.py): its socket's path."""
    path = str(tmp_path_factory.mktemp("snippets") / "server.sock")
    server = subprocess.Popen([sys.executable, str(ROOT / "tests" / "snippet_forkserver.py"), path], stdout=subprocess.PIPE, cwd=ROOT)
    try:
        assert server.stdout is not None and server.stdout.readline() == b"ready\n", "the snippet fork server did not start"
        yield path
    finally:
        server.kill()
        server.wait()


@pytest.fixture(scope="module")
def snippet_runs(request: pytest.FixtureRequest, snippet_server: str) -> Iterator[dict[str, Future[tuple[Result, int]]]]:
    """Start every selected run, SNIPPET_JOBS at a time; each test then waits for its own."""
    selected = [
        item for item in request.session.items
        if getattr(item, "originalname", None) == "test_snippet_prints_what_it_should" and not item.get_closest_marker("skip")
    ]
    pool = ThreadPoolExecutor(SNIPPET_JOBS, thread_name_prefix="snippet")
    try:
        yield {item.callspec.id: pool.submit(run_case, snippet_server, **item.callspec.params) for item in selected}
    finally:
        pool.shutdown(cancel_futures=True)


@pytest.mark.parametrize("day", snippet_days())
def test_every_snippet_has_checks_and_is_shown(day: str) -> None:
    snippets = {path.stem for path in snippet_files(day)}
    checks = checks_of(day)
    assert sorted(snippets - checks.keys()) == [], f"snippets of {day} without a run in checks.toml"
    assert sorted(checks.keys() - snippets) == [], f"runs in {day}'s checks.toml without a snippet"
    assert guide_path(day, DEFAULT_LANGUAGE).exists(), f"{day} has snippets but no guide"
    pages = [page_path(day, name, DEFAULT_LANGUAGE).read_text(encoding="utf-8") for name in page_names(day)]
    shown = {Path(path).stem for page in pages for path in included_snippets(page)}
    assert sorted(snippets - shown) == [], f"snippets of {day} that no page of its guide includes"
    for name, day_runs in checks.items():
        for run in day_runs:
            assert set(run) <= RUN_KEYS, f"{day}/{name}: unknown keys {set(run) - RUN_KEYS}"
            assert run.get("expect") or run.get("expect_stderr"), f"{day}/{name}: a run must expect something"


@pytest.mark.parametrize("day", snippet_days())
def test_every_cast_records_a_snippet(day: str) -> None:
    """A cast left behind by a renamed or deleted snippet would play on no page, or the wrong one."""
    casts = {path.stem for path in cast_path(day, "*").parent.glob("*.cast")}
    assert sorted(casts - checks_of(day).keys()) == [], f"casts of {day} without a snippet: delete them"


def test_provider_runs_cover_every_get_chat_model_snippet() -> None:
    """A snippet that calls get_chat_model() is never left to the fake alone (all its runs set env)."""
    ids = [param.id for param in runs()]
    for day in snippet_days():
        for path in snippet_files(day):
            if calls_get_chat_model(path.read_text(encoding="utf-8")):
                for provider in PROVIDERS:
                    ours = [i for i in ids if i.startswith(f"{day}/{path.stem}#") and i.endswith(f"@{provider}")]
                    assert ours, f"{day}/{path.stem} calls get_chat_model() but no run without env goes to {provider}"


@pytest.mark.parametrize(("day", "name", "run", "provider"), list(runs()))
def test_snippet_prints_what_it_should(
    day: str, name: str, run: dict[str, Any], provider: str, request: pytest.FixtureRequest,
    snippet_runs: dict[str, Future[tuple[Result, int]]],
) -> None:
    result, stub_requests = snippet_runs[request.node.callspec.id].result()
    report = f"\n--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
    assert result.returncode == run.get("exit_code", 0), f"exit status {result.returncode}{report}"
    assert_in_order(run.get(f"expect_{provider}", run.get("expect", [])), result.stdout, report)
    assert_in_order(run.get("expect_stderr", []), result.stderr, report)
    missing = MISSING_METADATA.search(result.stdout)
    assert missing is None, f"{missing and missing[0]!r}: read the metadata from the sum of the chunks{report}"
    if provider != "fake":
        assert stub_requests > 0, f"the snippet never called the {provider} stub{report}"
    if provider == "fake" and run == checks_of(day)[name][0]:
        keep_cast_fresh(cast_path(day, name), result.events)


def run_case(server: str, day: str, name: str, run: dict[str, Any], provider: str) -> tuple[Result, int]:
    """One run of a snippet, and how many requests its own stub answered (0 on the fake model).

    A provider run gets a local OpenAI-compatible stub of its own, answering with the fake model,
    so that the requests it counts are this run's even while other runs go on.
    """
    env = {**os.environ, "COURSE_LANG": "en", "PYTHONIOENCODING": "utf-8", **run.get("env", {})}
    if provider == "fake":
        env["PYTHONUNBUFFERED"] = "1"  # each print reaches the cast when it is printed
        return run_snippet(server, snippet_path(day, name), run.get("stdin", ""), env), 0
    counter = RequestCounter()
    with serve_openai_stub(FakeStreamingChatModel(callbacks=[counter])) as base_url:
        env.update({variable: value.replace(STUB_URL, base_url) for variable, value in PROVIDER_ENV[provider].items()})
        result = run_snippet(server, snippet_path(day, name), run.get("stdin", ""), env)
    return result, counter.requests


@dataclass
class Result:
    """A finished snippet: what ``subprocess.run(text=True)`` gives, plus stdout as it came."""

    returncode: int
    stdout: str
    stderr: str
    events: list[tuple[float, str]]


def run_snippet(server: str, path: Path, stdin: str, env: dict[str, str]) -> Result:
    """Run ``python <path>`` from the repository root through the fork server, reading stdout as it comes (60 s at most)."""
    (stdin_read, stdin_write), (stdout_read, stdout_write), (stderr_read, stderr_write) = os.pipe(), os.pipe(), os.pipe()
    with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as connection:
        connection.connect(server)
        request = json.dumps({"path": str(path), "cwd": str(ROOT), "env": env}).encode("utf-8")
        socket.send_fds(connection, [request], [stdin_read, stdout_write, stderr_write])
        for fd in (stdin_read, stdout_write, stderr_write):
            os.close(fd)
        pid = int(connection.recv(64))
        stderr: list[bytes] = []
        timed_out = threading.Event()
        helpers = [
            threading.Thread(target=lambda: stderr.append(read_all(stderr_read)), daemon=True),
            threading.Thread(target=feed, args=(os.fdopen(stdin_write, "wb"), stdin.encode("utf-8")), daemon=True),
        ]
        watchdog = threading.Timer(60, lambda: (timed_out.set(), os.kill(pid, signal.SIGKILL)))
        for thread in (*helpers, watchdog):
            thread.start()
        decoder = codecs.getincrementaldecoder("utf-8")()
        events: list[tuple[float, str]] = []
        start = time.monotonic()
        with os.fdopen(stdout_read, "rb", buffering=0) as stdout:
            while chunk := stdout.read(65536):
                events.append((time.monotonic() - start, decoder.decode(chunk)))
        returncode = int(connection.recv(64))
    watchdog.cancel()
    for thread in helpers:
        thread.join()
    assert not timed_out.is_set(), f"{path.name} ran for more than 60 s"
    stdout_text = "".join(text for _, text in events)
    return Result(returncode, universal_newlines(stdout_text), universal_newlines(b"".join(stderr).decode("utf-8")), events)


def read_all(fd: int) -> bytes:
    with os.fdopen(fd, "rb") as pipe:
        return pipe.read()


def feed(pipe: Any, data: bytes) -> None:
    """Write the run's stdin and close it, as ``subprocess.run(input=...)`` does."""
    with pipe:
        try:
            pipe.write(data)
        except BrokenPipeError:  # the snippet exited without reading all of its input
            pass


def universal_newlines(text: str) -> str:
    """The newlines ``subprocess.run(text=True)`` would give, which the checks were written against."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def keep_cast_fresh(path: Path, events: list[tuple[float, str]]) -> None:
    """Write the cast (``RECORD_CASTS=1``), or check that the committed one shows this run's text."""
    fresh = cast_of(events)
    if RECORD_CASTS:
        path.parent.mkdir(exist_ok=True)
        path.write_text(fresh, encoding="utf-8")
        return
    hint = "run `RECORD_CASTS=1 .venv/bin/pytest tests/test_snippets.py` and commit the casts"
    assert path.exists(), f"{path.relative_to(ROOT)} is missing: {hint}"
    committed = path.read_text(encoding="utf-8")
    assert json.loads(committed.partition("\n")[0]).get("version") == 2, f"{path.name} is not an asciinema v2 cast"
    assert comparable(cast_text(committed)) == comparable(cast_text(fresh)), f"{path.relative_to(ROOT)} is stale: {hint}"


def cast_of(events: list[tuple[float, str]]) -> str:
    """An asciinema v2 cast: a header line, then one ``[seconds, "o", text]`` line per read.

    A pipe is not a terminal, so the line feeds get the carriage returns a terminal would add.
    """
    lines, previous = [], ""
    for seconds, text in events:
        if text:
            shown = re.sub(r"(?<!\r)\n", "\r\n", text)
            if text.startswith("\n") and previous.endswith("\r"):
                shown = shown.removeprefix("\r")
            lines.append(json.dumps([round(seconds, 3), "o", shown], ensure_ascii=False))
            previous = text
    text = "".join(chunk for _, chunk in events)
    rows = sum(max(1, -(-max(map(len, line.split("\r"))) // CAST_WIDTH)) for line in text.split("\n"))
    height = min(CAST_MAX_HEIGHT, max(5, rows + 1))  # long lines wrap; the cursor needs a row
    header = json.dumps({"version": 2, "width": CAST_WIDTH, "height": height})
    return "\n".join([header, *lines]) + "\n"


def cast_text(cast: str) -> str:
    """Everything a cast prints, joined."""
    return "".join(json.loads(line)[2] for line in cast.splitlines()[1:])


def comparable(text: str) -> str:
    """The text with what a loaded machine changes (NUMBERS, PINGS) made equal."""
    return NUMBER_LISTS.sub("N", NUMBERS.sub("N", PINGS.sub("", text)))


def assert_in_order(patterns: list[str], output: str, report: str) -> None:
    """Each pattern must match (multi-line mode) somewhere after the previous one's match."""
    position = 0
    for pattern in patterns:
        found = re.compile(pattern, re.M).search(output, position)
        assert found, f"expected {pattern!r} after position {position}{report}"
        position = found.end()

"""The grading child: runs one exercise's tests with pytest and reports on a pipe, then exits.

It runs in a process of its own (forked from the warmed grader, or started fresh with
``python -m coursekit.grading JOB FD``), so whatever the student's code does (loop,
``sys.exit``, ``os._exit``, crash, print megabytes) stays inside it. Messages go to the parent as
JSON lines on the pipe ``FD``, starting with ``ready`` once the child is set up (the
exercise's timeout runs from there, so a slow interpreter start is not the student's fault);
anything written to stdout/stderr outside pytest's capture goes
to a private log whose last lines only explain pytest's own failures.

pytest uses the course's ``pyproject.toml`` (rootdir = course root) so pytest-socket keeps the
network off, exactly as in a plain ``pytest`` run. Plugin auto-loading is off: the few plugins
the configuration needs are passed in directly, because loading every installed plugin costs
about two seconds per exercise.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
from dataclasses import asdict, dataclass
from typing import IO, Any, NoReturn

import anyio.pytest_plugin
import pytest
import pytest_asyncio.plugin
import pytest_benchmark.plugin
import pytest_socket
import pytest_timeout

from coursekit.grading.plugin import ResultCollector

#: The plugins the course's pytest configuration relies on: asyncio_mode, --disable-socket,
#: timeout, --benchmark-disable, anyio markers. A plugin whose option is added to pyproject's
#: addopts must be added here too; tests/grading/test_real_course.py fails until it is.
PYTEST_PLUGINS = (pytest_asyncio.plugin, pytest_socket, pytest_timeout, pytest_benchmark.plugin, anyio.pytest_plugin)
#: Resource limits of a child: a student printing or appending in an endless loop gets an
#: error in that test ("File too large", MemoryError) instead of filling the disk or the RAM.
#: A warmed child uses about 80 MiB of data; the course's heaviest tests a few hundred.
LIMITS = {resource.RLIMIT_FSIZE: 64 * 1024 * 1024, resource.RLIMIT_DATA: 1024 * 1024 * 1024}
LOG_TAIL_LINES = 5
#: Host settings that would change what pytest writes in a failure message: on a CI machine
#: (``CI``/``BUILD_NUMBER`` set) pytest stops shortening long assertion diffs, ``PYTEST_ADDOPTS``
#: can add ``-vv``, and ``PY_COLORS``/``FORCE_COLOR`` put colour codes even in text written to a
#: file. A grade must read the same on a laptop and in CI.
HOST_SETTINGS_IGNORED = ("CI", "BUILD_NUMBER", "PYTEST_ADDOPTS", "PY_COLORS", "FORCE_COLOR")


@dataclass(frozen=True)
class ChildJob:
    """Everything a child needs to grade one exercise; plain strings so it crosses ``exec``."""

    root: str
    tests: str
    target: str
    lang: str

    def pytest_args(self) -> list[str]:
        config = os.path.join(self.root, "pyproject.toml")
        return ["-q", "--color=no", "--rootdir", self.root, "-c", config, "--target", self.target, self.tests]


class _Channel:
    """Writes one JSON object per line to the parent, whole even when the pipe is full."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def send(self, message: dict[str, Any]) -> None:
        data = (json.dumps(message, ensure_ascii=False) + "\n").encode()
        while data:
            data = data[os.write(self.fd, data) :]


def _redirect_std_streams() -> IO[bytes]:
    """Send fds 1 and 2 to a private log, so pytest's own report never reaches the terminal.

    ``sys.stdout`` / ``sys.stderr`` are pointed back at those fds too: a forked child inherits
    the parent's objects, which inside a pytest run are that run's capture buffers.
    """
    log = tempfile.TemporaryFile()
    for fd in (1, 2):
        os.dup2(log.fileno(), fd)
    sys.stdout = open(1, "w", encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
    return log


def _log_tail(log: IO[bytes]) -> str:
    sys.stdout.flush()
    sys.stderr.flush()
    log.seek(max(0, os.fstat(log.fileno()).st_size - 4096))
    lines = [line for line in log.read().decode(errors="replace").splitlines() if line.strip()]
    return " | ".join(lines[-LOG_TAIL_LINES:])


def _limit_resources() -> None:
    for kind, wanted in LIMITS.items():
        _soft, hard = resource.getrlimit(kind)
        resource.setrlimit(kind, (wanted if hard == resource.RLIM_INFINITY else min(wanted, hard), hard))


def run_child(job: ChildJob, channel_fd: int) -> NoReturn:
    """Grade ``job`` and exit; never returns, never runs the parent's clean-up code."""
    channel = _Channel(channel_fd)
    try:
        channel.send({"event": "ready"})
        os.chdir(job.root)
        log = _redirect_std_streams()
        _limit_resources()
        for name in HOST_SETTINGS_IGNORED:
            os.environ.pop(name, None)
        os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        # The tests' own messages (coursekit.testing, the days' catalogues) follow the student.
        os.environ.update(COURSE_GRADER="1", COURSE_LANG=job.lang)
        collector = ResultCollector(channel.send, job.lang)
        exit_code = pytest.main(job.pytest_args(), plugins=[*PYTEST_PLUGINS, collector])
        channel.send({"event": "done", "exit_code": int(exit_code), "log": _log_tail(log)})
    except BaseException as error:  # noqa: BLE001 - the parent must hear why, whatever it was
        channel.send({"event": "done", "exit_code": -1, "log": f"{type(error).__name__}: {error}"})
    finally:
        os._exit(0)


def main(argv: list[str]) -> NoReturn:
    """``python -m coursekit.grading JOB_JSON FD``: the fresh-interpreter way in."""
    job_json, fd = argv
    run_child(ChildJob(**json.loads(job_json)), int(fd))


def job_json(job: ChildJob) -> str:
    return json.dumps(asdict(job))

"""The grading child: runs one exercise's tests with pytest and reports on a pipe, then exits.

It runs in a process of its own (forked from the warmed grader, or started fresh with
``python -m coursekit.grading JOB FD``), so whatever the student's code does (loop,
``sys.exit``, ``os._exit``, crash, print megabytes) stays inside it. Messages go to the parent as
signed lines on the pipe ``FD`` (:mod:`coursekit.grading.channel`), starting with ``ready``; the
exercise's limits run from ``collected`` (:mod:`coursekit.limits`), so neither a slow interpreter
start nor pytest's own start-up is the student's time. Anything written to stdout/stderr outside
pytest's capture goes to a private log whose last lines only explain pytest's own failures.

Every resource limit is hard (soft = hard), so graded code cannot lift it, except the CPU limit,
whose soft value the collector raises by the CPU that formatting failure reports took.

pytest uses the course's ``pyproject.toml`` (rootdir = course root) so pytest-socket keeps the
network off, exactly as in a plain ``pytest`` run. Plugin auto-loading is off: the few plugins
the configuration needs are passed in directly, because loading every installed plugin costs
about two seconds per exercise.
"""

from __future__ import annotations

import json
import math
import os
import resource
import sys
import tempfile
from dataclasses import asdict, dataclass
from typing import IO, NoReturn

import anyio.pytest_plugin
import pytest
import pytest_asyncio.plugin
import pytest_benchmark.plugin
import pytest_socket
import pytest_timeout

from coursekit.grading.channel import Send, signed_sender
from coursekit.grading.plugin import ResultCollector

#: The plugins the course's pytest configuration relies on: asyncio_mode, --disable-socket,
#: timeout, --benchmark-disable, anyio markers. A plugin whose option is added to pyproject's
#: addopts must be added here too; tests/grading/test_real_course.py fails until it is.
PYTEST_PLUGINS = (pytest_asyncio.plugin, pytest_socket, pytest_timeout, pytest_benchmark.plugin, anyio.pytest_plugin)
#: Resource limits of a child, hard so that graded code cannot raise them: a student printing or
#: appending in an endless loop gets an error in that test ("File too large", MemoryError)
#: instead of filling the disk or the RAM. A warmed child uses about 80 MiB of data; the
#: course's heaviest tests a few hundred.
LIMITS = {resource.RLIMIT_FSIZE: 64 * 1024 * 1024, resource.RLIMIT_DATA: 1024 * 1024 * 1024}
#: Most CPU seconds of failure formatting that do not count against the CPU limit.
FORMATTING_CPU_ALLOWANCE = 5
LOG_TAIL_LINES = 5
#: Host settings that would change what pytest writes in a failure message: on a CI machine
#: (``CI``/``BUILD_NUMBER`` set) pytest stops shortening long assertion diffs, ``PYTEST_ADDOPTS``
#: can add ``-vv``, and ``PY_COLORS``/``FORCE_COLOR`` put colour codes even in text written to a
#: file. A grade must read the same on a laptop and in CI.
HOST_SETTINGS_IGNORED = ("CI", "BUILD_NUMBER", "PYTEST_ADDOPTS", "PY_COLORS", "FORCE_COLOR")


@dataclass(frozen=True)
class ChildJob:
    """Everything a child needs to grade one exercise; plain values so it crosses ``exec``."""

    root: str
    tests: str
    target: str
    lang: str
    cpu_limit: float
    processes: int | None = None
    """The hard cap on tasks of this user (set by the sandbox), or None for no cap."""

    def pytest_args(self) -> list[str]:
        """Only the course's configuration and conftests load, never a submission's.

        ``--target=PATH`` is one argument: as two, PATH would be a test path whose conftest.py
        pytest loads. ``--confcutdir`` stops the conftest search at the course's tests/.
        """
        config = os.path.join(self.root, "pyproject.toml")
        confcut = os.path.join(self.root, "tests")
        return ["-q", "--color=no", f"--rootdir={self.root}", "-c", config, f"--confcutdir={confcut}",
                f"--target={self.target}", self.tests]


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


def _hard_limits(processes: int | None) -> None:
    """Memory and file size capped for good, and processes when the sandbox set a cap."""
    limits = dict(LIMITS)
    if processes is not None:
        limits[resource.RLIMIT_NPROC] = processes
    for kind, wanted in limits.items():
        _soft, hard = resource.getrlimit(kind)
        value = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(kind, (value, value))


def cpu_used() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _start_cpu_limit(seconds: float) -> None:
    """From now on, ``seconds`` of CPU (plus the formatting allowance, granted as it is used)."""
    soft = math.ceil(cpu_used() + seconds)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, soft + FORMATTING_CPU_ALLOWANCE))


def _allow_cpu(seconds: float) -> None:
    """Give back CPU that pytest spent formatting a failure, up to the hard limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if soft != resource.RLIM_INFINITY and seconds > 0:
        resource.setrlimit(resource.RLIMIT_CPU, (min(hard, soft + math.ceil(seconds)), hard))


def run_child(job: ChildJob, channel_fd: int, key: bytes) -> NoReturn:
    """Grade ``job`` and exit; never returns, never runs the parent's clean-up code."""
    send: Send = signed_sender(channel_fd, key)
    del key
    try:
        send({"event": "ready"})
        os.chdir(job.root)
        log = _redirect_std_streams()
        _hard_limits(job.processes)
        for name in HOST_SETTINGS_IGNORED:
            os.environ.pop(name, None)
        os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        # The tests' own messages (coursekit.testing, the days' catalogues) follow the student.
        os.environ.update(COURSE_GRADER="1", COURSE_LANG=job.lang)
        collector = ResultCollector(send, job.lang, on_collected=lambda: _start_cpu_limit(job.cpu_limit), allow_cpu=_allow_cpu)
        exit_code = pytest.main(job.pytest_args(), plugins=[*PYTEST_PLUGINS, collector])
        if collector.tampered is None:
            send({"event": "done", "exit_code": int(exit_code), "log": _log_tail(log)})
    except BaseException as error:  # noqa: BLE001 - the parent must hear why, whatever it was
        send({"event": "done", "exit_code": -1, "log": f"{type(error).__name__}: {error}"})
    finally:
        os._exit(0)


def main(argv: list[str]) -> NoReturn:
    """``python -I -m coursekit.grading JOB_JSON FD KEY_FD``: the fresh-interpreter way in."""
    job_json, fd, key_fd = argv
    with os.fdopen(int(key_fd), "rb") as key_pipe:
        key = key_pipe.read()
    run_child(ChildJob(**json.loads(job_json)), int(fd), key)


def job_json(job: ChildJob) -> str:
    return json.dumps(asdict(job))

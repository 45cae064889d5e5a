"""Several students' processes at once, each under a deadline; one that crashes or hangs costs one student.

Each process (the sandbox or a worker, see :mod:`coursekit.grade_class.worker`) runs in a session
of its own, so the terminal's Ctrl+C reaches only the class runner, which then stops every
process group before it returns: nothing keeps grading after the command has ended.
Workers write to temp files, not pipes, so none can block on a full pipe while the runner
waits on another.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass
from typing import IO, Any

from coursekit.grade_class.worker import Job, Launch

#: Most a worker may print: a results.json of the whole course is well under a megabyte.
MAX_REPORT_BYTES = 16 * 1024 * 1024
Parse = Callable[[Job, bytes, int, str], dict[str, Any] | None]
#: How often the runner looks at its workers; it only decides when to start the next one.
TICK_SECONDS = 0.05


@dataclass(frozen=True)
class Outcome:
    """How one worker ended: its report, or why there is none."""

    report: dict[str, Any] | None
    problem: str | None
    """``timeout`` (seconds in ``detail``), ``crashed`` (the worker's last words in ``detail``)."""
    detail: str = ""
    seconds: float = 0.0


@dataclass
class _Running:
    job: Job
    process: subprocess.Popen[bytes]
    out: IO[bytes]
    err: IO[bytes]
    started: float
    deadline: float


def _start(job: Job, how: Launch, seconds: float) -> _Running:
    out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    try:
        process = subprocess.Popen(how.argv, stdin=subprocess.PIPE, stdout=out, stderr=err, start_new_session=True)
    except BaseException:
        out.close()
        err.close()
        raise
    assert process.stdin is not None
    with suppress(BrokenPipeError):
        process.stdin.write(how.stdin)
        process.stdin.close()
    started = time.monotonic()
    return _Running(job, process, out, err, started, started + seconds)


def _kill(running: _Running) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(running.process.pid, signal.SIGKILL)
    running.process.wait()


def _outcome(running: _Running, timed_out: bool, parse: Parse) -> Outcome:
    seconds = time.monotonic() - running.started
    try:
        if timed_out:
            return Outcome(None, "timeout", f"{running.deadline - running.started:.0f}", seconds)
        running.err.seek(max(0, os.fstat(running.err.fileno()).st_size - 4096))
        lines = [line for line in running.err.read().decode(errors="replace").splitlines() if line.strip()]
        last_words = lines[-1].strip() if lines else ""
        running.out.seek(0)
        data = running.out.read(MAX_REPORT_BYTES + 1)
        report = parse(running.job, data, running.process.returncode, last_words) if len(data) <= MAX_REPORT_BYTES else None
        if report is not None:
            return Outcome(report, None, "", seconds)
        return Outcome(None, "crashed", last_words or f"exit {running.process.returncode}", seconds)
    finally:
        running.out.close()
        running.err.close()


def run_workers(jobs: Iterable[Job], *, parallel: int, deadline: Callable[[Job], float], launch: Callable[[Job], Launch],
                parse: Parse, on_done: Callable[[Job, Outcome], None] = lambda job, outcome: None) -> None:
    """Grade ``jobs``, ``parallel`` at a time; ``on_done`` in this process as each one ends.

    ``launch`` gives a job's command; ``parse(job, output, returncode, last line of stderr)`` its
    report, or None when the output holds none.

    On any exception (Ctrl+C's ``KeyboardInterrupt`` included) every running worker is killed
    before it propagates; ``on_done`` is not called for them.
    """
    waiting = deque(jobs)
    running: list[_Running] = []
    try:
        while waiting or running:
            while waiting and len(running) < max(1, parallel):
                job = waiting.popleft()
                try:
                    running.append(_start(job, launch(job), deadline(job)))
                except OSError as error:  # no process could be started (a full process table, say)
                    on_done(job, Outcome(None, "crashed", error.strerror or str(error)))
            now = time.monotonic()
            for item in list(running):
                ended = item.process.poll() is not None
                timed_out = not ended and now >= item.deadline
                if ended or timed_out:
                    running.remove(item)
                    _kill(item)  # the group too: nothing the worker started outlives it
                    on_done(item.job, _outcome(item, timed_out, parse))
            if running:
                time.sleep(TICK_SECONDS)
    finally:
        for item in running:
            _kill(item)
            item.out.close()
            item.err.close()

"""Grades exercises in isolated child processes, a few at a time, each under its own deadline.

Starting a fresh interpreter and importing pytest + langchain for every exercise costs about
a second each. Instead the grader imports them once (:func:`warm_up`) and ``fork()``-s one
child per exercise, which starts in well under 0.1 s with everything already imported. A
fork is only safe without threads, so when the caller has threads (a progress spinner, say)
or the platform cannot fork, children are started as fresh interpreters instead: slower,
same results.

Each child gets its own process group; on timeout the whole group is killed, so a student's
loop, subprocess or server cannot outlive its grade. The parent only waits on pipes with a
deadline, so no child can make it hang.
"""

from __future__ import annotations

import gc
import importlib
import importlib.util
import json
import os
import select
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from coursekit.grading.assemble import MAX_REPORT_MB, Ending, assemble
from coursekit.grading.child import ChildJob, job_json, run_child
from coursekit.grading.results import ExerciseResult, Report
from coursekit.grading.target import resolve_target
from coursekit.i18n import current_language
from coursekit.manifest import Course, Exercise

StartMethod = Literal["auto", "fork", "spawn"]
OnResult = Callable[[ExerciseResult], None]

#: Imported once before forking, so that no child pays for them. Missing ones are skipped.
WARM_MODULES = (
    "coursekit.grading.child",
    "coursekit.fake_model",
    "coursekit.testing",
    "langchain_core.callbacks",
    "langchain_core.language_models",
    "langchain_core.messages",
    "langchain_core.output_parsers",
    "langchain_core.prompts",
    "langchain_core.runnables",
    "langchain_core.tracers.event_stream",
    "langchain_core.tracers.langchain",  # loaded lazily by the first callback manager
    "langchain_core.tracers.stdout",
    "langchain_core.tracers.run_collector",
    "langsmith.run_helpers",
    "pydantic",
    "fastapi",
    "fastapi.testclient",
    "starlette.testclient",
    "sse_starlette",
    "httpx",
    "httpx_sse",
    "pdb",  # pytest's debugging plugin imports it in every session
)
#: Exercises graded at once. Exercise tests mostly wait (the course's models sleep between
#: tokens to stream like real ones, the day-3 tests wait on real HTTP), so three children per
#: core keep the cores busy: on 2 cores the whole course takes about 6.4 s with 6 children
#: against 8 s with 4. At most 8, since each child holds 100-300 MiB.
DEFAULT_JOBS = min(8, 3 * (os.cpu_count() or 2))
_READ_SIZE = 65536
#: Time a child may take to report ``ready`` (a fresh interpreter on a slow, busy laptop).
STARTUP_ALLOWANCE = 60.0


def warm_up() -> None:
    """Import what every child would otherwise import again (idempotent, cheap once done)."""
    import _pytest.config  # pytest's built-in plugins, imported by every pytest.main()

    builtin_plugins = [f"_pytest.{name}" for name in getattr(_pytest.config, "default_plugins", ())]
    for name in [*WARM_MODULES, *builtin_plugins]:
        if name not in sys.modules and importlib.util.find_spec(name) is not None:
            importlib.import_module(name)


@dataclass
class _Run:
    """One child grading one exercise, seen from the parent."""

    exercise: Exercise
    pid: int
    fd: int
    started: float
    ready_at: float | None = None
    events: list[dict[str, Any]] = field(default_factory=list)
    pending: bytes = b""
    received: int = 0
    done: bool = False
    overflow: bool = False

    @property
    def deadline(self) -> float:
        """The exercise's timeout counts from ``ready``: starting the child is not the student's time."""
        if self.ready_at is None:
            return self.started + STARTUP_ALLOWANCE
        return self.ready_at + self.exercise.timeout

    def feed(self, data: bytes) -> bool:
        """Take bytes from the pipe; False once the child has nothing more to say."""
        self.received += len(data)
        if self.received > MAX_REPORT_MB * 1024 * 1024:
            self.overflow = True
            return False
        *lines, self.pending = (self.pending + data).split(b"\n")
        for line in lines:
            with suppress(ValueError):  # only student code scribbling on the pipe writes non-JSON
                event = json.loads(line)
                self.events.append(event)
                if event.get("event") == "ready" and self.ready_at is None:
                    self.ready_at = time.monotonic()
                self.done = self.done or event.get("event") == "done"
        return bool(data) and not self.done


def _fork(job: ChildJob, write_fd: int) -> int:
    sys.stdout.flush()
    sys.stderr.flush()
    gc.freeze()  # the child's garbage collector then skips everything the parent imported
    pid = os.fork()
    if pid == 0:
        try:
            os.setpgid(0, 0)
            run_child(job, write_fd)
        finally:
            os._exit(70)
    gc.unfreeze()
    with suppress(OSError):  # the child may already have done it
        os.setpgid(pid, pid)
    return pid


def _spawn(job: ChildJob, write_fd: int) -> int:
    os.set_inheritable(write_fd, True)
    argv = [sys.executable, "-m", "coursekit.grading", job_json(job), str(write_fd)]
    return os.posix_spawn(sys.executable, argv, os.environ, setpgroup=0)


def _start(exercise: Exercise, target: Path, lang: str, method: Literal["fork", "spawn"]) -> _Run:
    job = ChildJob(root=str(exercise.root), tests=str(exercise.tests), target=str(target), lang=lang)
    read_fd, write_fd = os.pipe()
    started = time.monotonic()
    try:
        pid = _fork(job, write_fd) if method == "fork" else _spawn(job, write_fd)
    except BaseException:
        os.close(read_fd)
        raise
    finally:
        os.close(write_fd)
    return _Run(exercise, pid, read_fd, started)


def _stop(run: _Run) -> int:
    """Kill the child's whole process group, reap the child, return its wait status."""
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(run.pid, signal.SIGKILL)
    _, status = os.waitpid(run.pid, 0)
    os.close(run.fd)
    return status


def _finish(run: _Run, timed_out: bool, lang: str) -> ExerciseResult:
    status = _stop(run)
    if timed_out:
        ending = Ending("timeout")
    elif run.overflow:
        ending = Ending("overflow")
    elif run.done:
        ending = Ending("done")
    elif os.WIFSIGNALED(status):
        ending = Ending("signal", os.WTERMSIG(status))
    else:
        ending = Ending("exit", os.waitstatus_to_exitcode(status))
    duration = time.monotonic() - run.started
    return assemble(run.exercise, run.events, ending, lang=lang, duration=duration)


def run_exercises(
    exercises: Iterable[Exercise],
    target: Path,
    *,
    lang: str,
    jobs: int,
    method: Literal["fork", "spawn"],
    on_result: OnResult | None = None,
) -> list[ExerciseResult]:
    """Grade ``exercises`` against ``target``, ``jobs`` at a time; results in the given order."""
    order = list(exercises)
    waiting = deque(order)
    running: dict[int, _Run] = {}
    finished: dict[str, ExerciseResult] = {}
    try:
        while waiting or running:
            while waiting and len(running) < max(1, jobs):
                run = _start(waiting.popleft(), target, lang, method)
                running[run.fd] = run
            wait = max(0.0, min(run.deadline for run in running.values()) - time.monotonic())
            ready, _, _ = select.select(list(running), [], [], wait)
            ended = {fd: False for fd in ready if not running[fd].feed(os.read(fd, _READ_SIZE))}
            now = time.monotonic()
            ended |= {fd: True for fd, run in running.items() if fd not in ended and now >= run.deadline}
            for fd, timed_out in ended.items():
                result = _finish(running.pop(fd), timed_out, lang)
                finished[result.name] = result
                if on_result is not None:
                    on_result(result)
    finally:
        for run in running.values():
            _stop(run)
    return [finished[exercise.name] for exercise in order]


def _choose_method(start: StartMethod) -> Literal["fork", "spawn"]:
    if start != "auto":
        return start
    return "fork" if hasattr(os, "fork") and threading.active_count() == 1 else "spawn"


def grade(
    course: Course,
    names: Iterable[str] | None = None,
    target: str | os.PathLike[str] = "exercises",
    *,
    lang: str | None = None,
    jobs: int = DEFAULT_JOBS,
    start: StartMethod = "auto",
    on_result: OnResult | None = None,
) -> Report:
    """Grade the exercises ``names`` select (all for None) against the folder ``target``.

    ``target`` is a path or the words ``"exercises"`` / ``"solutions"``. ``on_result`` is
    called in this process as each exercise finishes, e.g. to print progress without threads.
    Raises :class:`~coursekit.manifest.UnknownExerciseError` for a name that matches nothing.
    """
    exercises = course.select_all(names)
    language = current_language(lang)
    method = _choose_method(start)
    if method == "fork":
        warm_up()
    root = resolve_target(target, course.root)
    results = run_exercises(exercises, root, lang=language, jobs=jobs, method=method, on_result=on_result)
    return Report(results, language)

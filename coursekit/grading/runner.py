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
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any, Literal

from coursekit.grading.assemble import MAX_REPORT_MB, Ending, assemble
from coursekit.grading.channel import Receiver, new_key
from coursekit.grading.child import ChildJob, job_json, run_child
from coursekit.grading.results import ExerciseResult, Provenance, Report
from coursekit.grading.sandbox import SandboxChoice, grade_in_bwrap
from coursekit.grading.sandbox import choose as choose_sandbox
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
#: Exercises graded at once: one per core. The exercise tests mostly wait, but a grade must not
#: depend on how much else runs; with the CPU limit counting CPU, not the clock, one per core
#: leaves each child its core.
DEFAULT_JOBS = max(1, min(8, os.cpu_count() or 2))
_READ_SIZE = 65536
#: Time a child may take to collect its tests (a fresh interpreter on a slow, busy laptop).
STARTUP_ALLOWANCE = 60.0
#: Most clock seconds of failure formatting that do not count against the clock limit.
FORMATTING_WALL_ALLOWANCE = 30.0


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
    receiver: Receiver
    collected_at: float | None = None
    allowance: float = 0.0
    received: int = 0
    done: bool = False
    overflow: bool = False

    @property
    def events(self) -> list[dict[str, Any]]:
        return self.receiver.messages

    @property
    def tampered(self) -> str | None:
        """What the child said graded code changed, or that a message was forged."""
        if self.receiver.forged:
            return "forged report"
        return next((str(event.get("what")) for event in self.events if event.get("event") == "tampered"), None)

    @property
    def deadline(self) -> float:
        """The clock limit counts from ``collected``: starting pytest is not the student's time."""
        if self.collected_at is None:
            return self.started + STARTUP_ALLOWANCE
        return self.collected_at + self.exercise.limits.wall + self.allowance

    def feed(self, data: bytes) -> bool:
        """Take bytes from the pipe; False once the child has nothing more to say."""
        self.received += len(data)
        if self.received > MAX_REPORT_MB * 1024 * 1024:
            self.overflow = True
            return False
        for event in self.receiver.feed(data):
            kind = event.get("event")
            if kind == "collected" and self.collected_at is None:
                self.collected_at = time.monotonic()
            elif kind == "phase":
                spent = float(event.get("spent") or 0)
                self.allowance = min(FORMATTING_WALL_ALLOWANCE, self.allowance + max(0.0, spent))
            self.done = self.done or kind in ("done", "tampered")
        return bool(data) and not self.done and not self.receiver.forged


def _close_other_fds(keep: int) -> None:
    """A child keeps only its std streams and its own pipe, not its siblings' or the grader's."""
    os.closerange(3, keep)
    os.closerange(keep + 1, 65536)


def _fork(job: ChildJob, write_fd: int, key: bytes) -> int:
    sys.stdout.flush()
    sys.stderr.flush()
    gc.freeze()  # the child's garbage collector then skips everything the parent imported
    pid = os.fork()
    if pid == 0:
        try:
            os.setpgid(0, 0)
            _close_other_fds(write_fd)
            run_child(job, write_fd, key)
        finally:
            os._exit(70)
    gc.unfreeze()
    with suppress(OSError):  # the child may already have done it
        os.setpgid(pid, pid)
    return pid


def _spawn(job: ChildJob, write_fd: int, key: bytes) -> int:
    """A fresh ``python -I``: no PYTHONPATH, no user site, no current folder on sys.path."""
    key_read, key_write = os.pipe()
    try:
        os.write(key_write, key)
        os.close(key_write)
        for fd in (write_fd, key_read):
            os.set_inheritable(fd, True)
        argv = [sys.executable, "-I", "-m", "coursekit.grading", job_json(job), str(write_fd), str(key_read)]
        return os.posix_spawn(sys.executable, argv, os.environ, setpgroup=0)
    finally:
        os.close(key_read)


def _start(exercise: Exercise, target: Path, lang: str, method: Literal["fork", "spawn"], processes: int | None) -> _Run:
    job = ChildJob(str(exercise.root), str(exercise.tests), str(target), lang, exercise.limits.cpu, processes)
    key = new_key()
    read_fd, write_fd = os.pipe()
    started = time.monotonic()
    try:
        pid = _fork(job, write_fd, key) if method == "fork" else _spawn(job, write_fd, key)
    except BaseException:
        os.close(read_fd)
        raise
    finally:
        os.close(write_fd)
    return _Run(exercise, pid, read_fd, started, Receiver(key))


def _stop(run: _Run) -> tuple[int, float]:
    """Kill the child's whole process group, reap the child; its wait status and CPU seconds."""
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(run.pid, signal.SIGKILL)
    _, status, usage = os.wait4(run.pid, 0)
    os.close(run.fd)
    return status, usage.ru_utime + usage.ru_stime


def _ending(run: _Run, timed_out: bool, status: int, cpu: float) -> Ending:
    """Why the child stopped, the most telling reason first: interference outranks everything."""
    if (what := run.tampered) is not None:
        return Ending("tampered", what=what)
    if run.overflow:
        return Ending("overflow")
    if run.done:
        return Ending("done")
    signalled = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    if signalled == signal.SIGXCPU or (signalled == signal.SIGKILL and not timed_out and cpu >= run.exercise.limits.cpu):
        return Ending("cpu")
    if timed_out:
        return Ending("timeout")
    if signalled is not None:
        return Ending("signal", signalled)
    return Ending("exit", os.waitstatus_to_exitcode(status))


def _finish(run: _Run, timed_out: bool, lang: str) -> ExerciseResult:
    status, cpu = _stop(run)
    duration = time.monotonic() - run.started
    return assemble(run.exercise, run.events, _ending(run, timed_out, status, cpu), lang=lang, duration=duration)


def run_exercises(
    exercises: Iterable[Exercise],
    target: Path,
    *,
    lang: str,
    jobs: int,
    method: Literal["fork", "spawn"],
    processes: int | None = None,
    on_result: OnResult | None = None,
) -> list[ExerciseResult]:
    """Grade ``exercises`` against ``target``, ``jobs`` at a time; results in the given order."""
    pairs = [(exercise, target) for exercise in exercises]
    return run_pairs(pairs, lang=lang, jobs=jobs, method=method, processes=processes, on_result=on_result)


def run_pairs(
    pairs: Iterable[tuple[Exercise, Path]],
    *,
    lang: str,
    jobs: int,
    method: Literal["fork", "spawn"],
    processes: int | None = None,
    on_result: OnResult | None = None,
) -> list[ExerciseResult]:
    """Grade each exercise against its own target, ``jobs`` at a time; results in the given order.

    One queue for every pair keeps all ``jobs`` busy, e.g. for the corpus, where the same
    exercise comes once per wrong solution, each in a folder of its own.
    """
    order = list(pairs)
    waiting = deque(enumerate(order))
    running: dict[int, tuple[int, _Run]] = {}
    finished: dict[int, ExerciseResult] = {}
    try:
        while waiting or running:
            while waiting and len(running) < max(1, jobs):
                index, (exercise, target) = waiting.popleft()
                run = _start(exercise, target, lang, method, processes)
                running[run.fd] = (index, run)
            wait = max(0.0, min(run.deadline for _, run in running.values()) - time.monotonic())
            ready, _, _ = select.select(list(running), [], [], wait)
            ended = {fd: False for fd in ready if not running[fd][1].feed(os.read(fd, _READ_SIZE))}
            now = time.monotonic()
            ended |= {fd: True for fd, (_, run) in running.items() if fd not in ended and now >= run.deadline}
            for fd, timed_out in ended.items():
                index, run = running.pop(fd)
                finished[index] = result = _finish(run, timed_out, lang)
                if on_result is not None:
                    on_result(result)
    finally:
        for _, run in running.values():
            _stop(run)
    return [finished[index] for index in range(len(order))]


def choose_start_method(start: StartMethod) -> Literal["fork", "spawn"]:
    """``auto``: fork a warmed grader where that is safe (no threads), else spawn fresh interpreters."""
    if start != "auto":
        return start
    return "fork" if hasattr(os, "fork") and threading.active_count() == 1 else "spawn"


def course_commit(root: Path) -> str | None:
    """The course's git commit, when it is a checkout: which tests graded, for later."""
    try:
        found = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return found.stdout.strip() or None if found.returncode == 0 else None


def provenance(course: Course, target: Path, sandbox: str) -> Provenance:
    graded_at = datetime.now(UTC).isoformat(timespec="seconds")
    return Provenance(target.name, sandbox, graded_at, package_version("coursekit"), course_commit(course.root))


def grade(
    course: Course,
    names: Iterable[str] | None = None,
    target: str | os.PathLike[str] = "exercises",
    *,
    lang: str | None = None,
    jobs: int = DEFAULT_JOBS,
    start: StartMethod = "auto",
    sandbox: SandboxChoice = "auto",
    on_result: OnResult | None = None,
) -> Report:
    """Grade the exercises ``names`` select (all for None) against the folder ``target``.

    ``target`` is a path or the words ``"exercises"`` / ``"solutions"``. ``sandbox``: ``bwrap``
    grades in one bubblewrap sandbox (:mod:`coursekit.grading.sandbox`), ``none`` in children of
    this process, ``auto`` in bwrap where it works. ``on_result`` is called in this process as
    each exercise finishes, e.g. to print progress without threads. Raises
    :class:`~coursekit.manifest.UnknownExerciseError` for a name that matches nothing, and
    :class:`~coursekit.grading.sandbox.SandboxUnavailable` for ``bwrap`` where it cannot run.
    """
    exercises = course.select_all(names)
    language = current_language(lang)
    root = resolve_target(target, course.root)
    chosen = choose_sandbox(sandbox)
    if chosen == "bwrap":
        results = grade_in_bwrap(course, exercises, root, lang=language, jobs=jobs, on_result=on_result)
    else:
        method = choose_start_method(start)
        if method == "fork":
            warm_up()
        results = run_exercises(exercises, root, lang=language, jobs=jobs, method=method, on_result=on_result)
    return Report(results, language, provenance(course, root, chosen))

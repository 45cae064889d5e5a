"""How one student is graded, in a process of their own, and how that process's output becomes their report.

With ``sandbox = "bwrap"`` the class runner starts the grader's bubblewrap sandbox
(:mod:`coursekit.grading.sandbox`) itself, over the grading root (the course copy that holds the
instructor's tests): the sandbox prints one result per exercise, and :func:`report_of` makes the
student's report of them, as :func:`coursekit.grading.sandbox.grade_in_bwrap` does for ``check``.
bubblewrap's ``--die-with-parent``
ends the sandbox if the runner is killed.

With ``sandbox = "none"`` the process is ``python -I -m coursekit.grade_class.worker``: the job
comes as JSON on standard input (:class:`Job`), the student's ``results.json`` (v3) goes to
standard output as one JSON document, and nothing else does. It dies with the runner.

Either way the process writes no file: the runner writes what it printed, so a submission that
takes its process down takes only its own grade with it.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import sys
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

from coursekit.grading.results import ExerciseResult, Provenance, Report
from coursekit.i18n import t
from coursekit.manifest import Course, load_course


@dataclass(frozen=True)
class Job:
    """What one student's process grades; plain values, so it crosses a pipe as JSON."""

    root: str
    """The grading root (see :mod:`coursekit.grade_class.overlay`)."""
    student: str
    target: str
    names: list[str]
    lang: str
    sandbox: str
    """``bwrap`` or ``none``: already chosen by the class runner."""
    commit: str | None
    parent: int
    """The class runner's pid: the worker dies with it."""


@dataclass(frozen=True)
class Launch:
    """The command that grades one student, and what it reads on standard input."""

    argv: list[str]
    stdin: bytes


def launch(job: Job, course: Course) -> Launch:
    """How to grade ``job``: the sandbox itself, or a worker interpreter without one."""
    if job.sandbox == "bwrap":
        from coursekit.grading.sandbox import bwrap_command, sandbox_job

        target = Path(job.target)
        inner = sandbox_job(course, job.names, target, lang=job.lang, jobs=1)
        return Launch(bwrap_command(course.root, target), json.dumps(inner).encode())
    return Launch([sys.executable, "-I", "-m", "coursekit.grade_class.worker"], json.dumps(asdict(job)).encode())


def report_of(job: Job, course: Course, output: bytes, returncode: int, last_words: str) -> dict[str, Any] | None:
    """The student's ``results.json`` from what their process printed; None when it printed no report."""
    if job.sandbox != "bwrap":
        try:
            report = json.loads(output) if returncode == 0 else None
        except ValueError:
            return None
        return report if isinstance(report, dict) and isinstance(report.get("exercises"), list) else None
    finished: dict[str, ExerciseResult] = {}
    for line in output.decode(errors="replace").splitlines():
        try:
            result = ExerciseResult.from_fields(json.loads(line))
        except (ValueError, KeyError, TypeError):
            break  # an unreadable line: what is missing is reported as lost below
        finished[result.name] = result
    lost = t("grading.sandbox_lost", job.lang, reason=last_words or f"exit {returncode}")
    results = [finished.get(name) or ExerciseResult(name, course.exercise(name).points, problem=lost) for name in job.names]
    return _report(job, results).to_dict()


def _report(job: Job, results: list[ExerciseResult]) -> Report:
    graded_at = datetime.now(UTC).isoformat(timespec="seconds")
    return Report(results, job.lang, Provenance(job.student, job.sandbox, graded_at, package_version("coursekit"), job.commit))


def die_with_parent(parent: int) -> None:
    """Linux: be killed when the class runner dies (a ``kill -9`` of the command leaves no grader running)."""
    if sys.platform == "linux":
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # it died before the line above took effect
        os._exit(1)


def main() -> None:
    """``python -I -m coursekit.grade_class.worker``: grade one student without a sandbox."""
    job = Job(**json.loads(sys.stdin.read()))
    die_with_parent(job.parent)
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # whatever else prints (a child's stray write) stays out of the report
    from coursekit.grading.runner import run_exercises, warm_up

    course = load_course(job.root)
    exercises = [course.exercise(name) for name in job.names]
    warm_up()
    results = run_exercises(exercises, Path(job.target), lang=job.lang, jobs=1, method="fork")
    out.write(json.dumps(_report(job, results).to_dict(), ensure_ascii=False))
    out.close()


if __name__ == "__main__":
    main()

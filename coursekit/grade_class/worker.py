"""One student, graded by the course's own grader in a process of its own: ``python -I -m coursekit.grade_class.worker``.

The job comes as JSON on standard input (:class:`Job`); the student's ``results.json`` (v3)
goes to standard output as one JSON document, and nothing else does. The class runner starts
several workers at once and writes what they print; a worker writes no file itself, so a
submission that takes its worker down takes only its own grade with it.

With ``sandbox = "bwrap"`` the submission is graded in the grader's bubblewrap sandbox
(:mod:`coursekit.grading.sandbox`) over the grading root: the course copy that holds the
instructor's tests. Day message catalogues are read from the toolkit's course
(:data:`coursekit.i18n.COURSE_ROOT`), so its ``tests/exercises`` folder is mounted read-only too.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib.metadata import version as package_version
from pathlib import Path

from coursekit.grading.results import ExerciseResult, Provenance, Report
from coursekit.i18n import COURSE_ROOT, t
from coursekit.manifest import Course, Exercise, load_course


@dataclass(frozen=True)
class Job:
    """What one worker grades; plain values, so it crosses a pipe as JSON."""

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


def die_with_parent(parent: int) -> None:
    """Linux: be killed when the class runner dies (a ``kill -9`` of the command leaves no grader running)."""
    if sys.platform == "linux":
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # it died before the line above took effect
        os._exit(1)


def sandbox_command(course: Course, target: Path) -> list[str]:
    """The grader's bubblewrap command, with the toolkit's day catalogues mounted read-only as well."""
    from coursekit.grading.sandbox import bwrap_command

    command = bwrap_command(course.root, target)
    catalogues = COURSE_ROOT / "tests" / "exercises"
    if catalogues.is_dir() and not catalogues.resolve().is_relative_to(course.root.resolve()):
        split = command.index("--")
        command[split:split] = ["--ro-bind", str(catalogues), str(catalogues)]
    return command


def grade_in_sandbox(course: Course, exercises: list[Exercise], target: Path, lang: str) -> list[ExerciseResult]:
    """As :func:`coursekit.grading.sandbox.grade_in_bwrap`, over the grading root; exercises it never reported are errors."""
    from coursekit.grading.sandbox import _process_limit

    job = {"root": str(course.root), "names": [exercise.name for exercise in exercises], "lang": lang, "jobs": 1,
           "processes": _process_limit(), "target_name": target.name}
    finished: dict[str, ExerciseResult] = {}
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(sandbox_command(course, target), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=log, text=True, start_new_session=True)
        try:
            assert process.stdin is not None and process.stdout is not None
            process.stdin.write(json.dumps(job))
            process.stdin.close()
            for line in process.stdout:
                result = ExerciseResult.from_fields(json.loads(line))
                finished[result.name] = result
        except (ValueError, KeyError, TypeError):
            pass  # an unreadable line: what is missing is reported as lost below
        finally:
            process.kill()
            process.wait()
            log.seek(0)
            why = log.read().decode(errors="replace").strip().splitlines()
    reason = why[-1] if why else f"exit {process.returncode}"
    lost = t("grading.sandbox_lost", lang, reason=reason)
    return [finished.get(exercise.name) or ExerciseResult(exercise.name, exercise.points, problem=lost) for exercise in exercises]


def grade(job: Job) -> Report:
    """Grade ``job``'s student; the report the course's grader gives, named after the student."""
    course = load_course(job.root)
    exercises = [course.exercise(name) for name in job.names]
    target = Path(job.target)
    if job.sandbox == "bwrap":
        results = grade_in_sandbox(course, exercises, target, job.lang)
    else:
        from coursekit.grading.runner import run_exercises, warm_up

        warm_up()
        results = run_exercises(exercises, target, lang=job.lang, jobs=1, method="fork")
    graded_at = datetime.now(UTC).isoformat(timespec="seconds")
    return Report(results, job.lang, Provenance(job.student, job.sandbox, graded_at, package_version("coursekit"), job.commit))


def main() -> None:
    job = Job(**json.loads(sys.stdin.read()))
    die_with_parent(job.parent)
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # whatever else prints (a child's stray write) stays out of the report
    report = grade(job)
    out.write(json.dumps(report.to_dict(), ensure_ascii=False))
    out.close()


def job_json(job: Job) -> str:
    return json.dumps(asdict(job))


if __name__ == "__main__":
    main()

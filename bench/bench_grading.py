"""How fast the grader grades the whole course, against the naive way measured in the same run.

The naive way is one fresh ``python -m pytest <tests file>`` per exercise: an interpreter start,
every installed pytest plugin and langchain imported again each time. The grader imports once
and forks a child per exercise. Both run ``JOBS`` exercises at a time against solutions/.

The real course must be graded in at most 10 s by a fresh process (interpreter start, imports
and warm-up included, as a student waits for ``coursekit check``), or this exits with 1.
When the real course is still small, the synthetic mini course of tests/grading is also
graded several times over, to show the per-exercise cost without the tests' own sleeps.

Run: .venv/bin/python bench/bench_grading.py
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections import deque

from coursekit.grading import DEFAULT_JOBS, grade, runner
from coursekit.grading.sandbox import bwrap_works
from coursekit.manifest import REPO_ROOT, Course, load_course

JOBS = DEFAULT_JOBS
BUDGET_SECONDS = 10.0
SYNTHETIC_TARGET = 20  # exercises: about the size of the finished course
MINI = REPO_ROOT / "tests" / "grading" / "fixtures" / "mini"


def baseline(course: Course, jobs: int) -> list[float]:
    """Seconds per exercise for a fresh ``python -m pytest`` each, ``jobs`` at a time (no threads)."""
    commands = [
        [sys.executable, "-m", "pytest", "-q", "--rootdir", str(course.root), "-c", str(course.root / "pyproject.toml"),
         f"--target={course.solutions}", str(exercise.tests)]
        for exercise in course.exercises
    ]
    durations = [0.0] * len(commands)
    waiting = deque(enumerate(commands))
    running: dict[int, tuple[subprocess.Popen[bytes], float]] = {}
    while waiting or running:
        while waiting and len(running) < jobs:
            index, command = waiting.popleft()
            process = subprocess.Popen(command, cwd=course.root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            running[index] = (process, time.perf_counter())
        time.sleep(0.005)
        for index, (process, started) in list(running.items()):
            if process.poll() is not None:
                durations[index] = time.perf_counter() - started
                if process.returncode != 0:
                    raise SystemExit(f"baseline: {commands[index][-1]} exited with {process.returncode}")
                del running[index]
    return durations


def compare(course: Course, label: str, rounds: int = 1) -> None:
    """Grade ``course`` ``rounds`` times with the grader and once the naive way; print both."""
    runner.warm_up()  # its one-time cost is in the end-to-end figure of main()
    started = time.perf_counter()
    reports = [grade(course, None, "solutions", jobs=JOBS, lang="en", sandbox="none") for _ in range(rounds)]
    engine_total = time.perf_counter() - started
    if any(report.status != "pass" for report in reports):
        failing = [e.name for report in reports for e in report.exercises if e.status != "pass"]
        raise SystemExit(f"{label}: solutions do not pass under the grader: {failing}")

    naive_started = time.perf_counter()
    naive = baseline(course, JOBS)
    naive_total = (time.perf_counter() - naive_started) * rounds

    graded = len(course.exercises) * rounds
    print(f"\n== {label}: {graded} exercises graded ({len(course.exercises)} x {rounds}), {JOBS} at a time")
    print(f"{'exercise':45} {'grader s':>9} {'fresh pytest s':>15}")
    for index, exercise in enumerate(course.exercises):
        mean = sum(report.exercises[index].duration for report in reports) / rounds
        print(f"{exercise.name:45} {mean:9.2f} {naive[index]:15.2f}")
    print(f"grader total {engine_total:.2f} s, {engine_total / graded:.3f} s per exercise (warmed up)")
    measured = "" if rounds == 1 else f" (measured once, x{rounds})"
    print(f"fresh pytest total {naive_total:.2f} s{measured}, {naive_total / graded:.3f} s per exercise")
    print(f"ratio fresh pytest / grader: {naive_total / engine_total:.1f}x")


def end_to_end(sandbox: str) -> float:
    """Seconds for a fresh process to import, warm up and grade the whole course, as a student waits."""
    script = (
        "from coursekit.grading import grade\n"
        "from coursekit.manifest import load_course\n"
        f"report = grade(load_course(), None, 'solutions', sandbox={sandbox!r})\n"
        "raise SystemExit(report.status != 'pass')\n"
    )
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", script], check=True)
    return time.perf_counter() - started


def main() -> int:
    course = load_course()
    compare(course, "real course")
    sandboxes = ["none", "bwrap"] if bwrap_works() else ["none"]
    totals = {sandbox: end_to_end(sandbox) for sandbox in sandboxes}
    if len(course.exercises) < SYNTHETIC_TARGET:
        mini = load_course(MINI)
        compare(mini, "synthetic mini course", rounds=max(1, SYNTHETIC_TARGET // len(mini.exercises)))
    print()
    for sandbox, total in totals.items():
        verdict = "within" if total <= BUDGET_SECONDS else "OVER"
        print(f"real course, fresh process, sandbox {sandbox} (imports + warm-up + grading, {JOBS} jobs): "
              f"{total:.2f} s, {verdict} the {BUDGET_SECONDS:.0f} s budget")
    return 0 if max(totals.values()) <= BUDGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())

"""From what a grading child reported, and how it ended, to an :class:`ExerciseResult`.

The child may die at any point (timeout, ``os._exit``, a crash), so every piece is optional:
tests that never reported are marked ``error`` with the reason the process stopped, and the
one test that was running when it stopped is named in the exercise's message. A test's status
comes from its first phase (setup, call, teardown) that did not pass. When graded code interfered
with the grader, every test is ``error``: nothing the child said can be trusted any more.
"""

from __future__ import annotations

import signal
from dataclasses import dataclass
from typing import Any, Literal

import pytest

from coursekit.grading.results import ExerciseResult, TestResult
from coursekit.i18n import t
from coursekit.manifest import Exercise

#: Most a child may send back; only a runaway could exceed it (outputs are already truncated).
MAX_REPORT_MB = 8


@dataclass(frozen=True)
class Ending:
    """How the child process ended: it said ``done``, or it was stopped, or it died."""

    how: Literal["done", "timeout", "cpu", "overflow", "exit", "signal", "tampered"]
    code: int | None = None
    what: str | None = None
    """What graded code changed, for ``tampered``."""


def _stop_reason(ending: Ending, exercise: Exercise, lang: str) -> str:
    if ending.how == "tampered":
        return t("grading.interfered", lang, what=ending.what)
    if ending.how == "timeout":
        return t("grading.timeout", lang, seconds=exercise.limits.wall)
    if ending.how == "cpu":
        return t("grading.cpu_limit", lang, seconds=exercise.limits.cpu)
    if ending.how == "overflow":
        return t("grading.too_much_output", lang, limit=MAX_REPORT_MB)
    if ending.how == "signal":
        return t("grading.crashed_signal", lang, signal=_signal_name(ending.code))
    return t("grading.crashed_exit", lang, code=ending.code)


def _signal_name(number: int | None) -> str:
    try:
        return signal.Signals(number or 0).name
    except ValueError:
        return str(number)


def _test_outcomes(events: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each test whose teardown reported: its status from the first phase that did not pass."""
    outcomes: dict[str, dict[str, Any]] = {}
    first_problem: dict[str, dict[str, Any]] = {}
    for event in events:
        if event.get("event") != "phase":
            continue
        test = event["id"]
        if event["outcome"] != "passed" and test not in first_problem:
            first_problem[test] = event
        if event["when"] == "teardown":
            problem = first_problem.get(test)
            if problem is None:
                outcomes[test] = {"status": "pass", "kind": None, "message": None}
            else:
                status = "fail" if problem["when"] == "call" and problem["outcome"] == "failed" else "error"
                outcomes[test] = {"status": status, "kind": problem["kind"], "message": problem["message"]}
            outcomes[test]["output"] = event.get("output")
    return outcomes


def assemble(
    exercise: Exercise, events: list[dict[str, Any]], ending: Ending, *, lang: str, duration: float
) -> ExerciseResult:
    """The result of one exercise from the child's events, in test file order."""
    collected: list[dict[str, Any]] = []
    running: str | None = None
    collection_error: str | None = None
    done: dict[str, Any] | None = None
    for event in events:
        match event.get("event"):
            case "collected":
                collected = event["tests"]
            case "start":
                running = event["id"]
            case "collection_error":
                collection_error = event["detail"]
            case "done":
                done = event
    results = {} if ending.how == "tampered" else _test_outcomes(events)

    stopped = None if ending.how == "done" else _stop_reason(ending, exercise, lang)
    tests: list[TestResult] = []
    running_name: str | None = None
    for test in collected:
        reported = results.get(test["id"])
        if reported is not None:
            tests.append(
                TestResult(test["name"], reported["status"], reported["message"], reported["output"], test["task_id"], reported["kind"])
            )
        elif ending.how == "tampered":
            tests.append(TestResult(test["name"], "error", stopped, None, test["task_id"], "tampered"))
        elif stopped is not None and test["id"] == running:
            running_name = test["name"]
            tests.append(TestResult(test["name"], "error", stopped, None, test["task_id"], "stopped"))
        else:
            tests.append(TestResult(test["name"], "error", t("grading.not_run", lang), None, test["task_id"], "stopped"))

    result = ExerciseResult(exercise.name, exercise.points, tests, duration=duration, all_or_nothing=exercise.all_or_nothing)
    relative_tests = exercise.tests.relative_to(exercise.root).as_posix()
    if stopped is not None:
        result.problem = stopped + (" " + t("grading.during_test", lang, test=running_name) if running_name else "")
    elif collection_error is not None:
        result.problem = t("grading.collection_error", lang, path=relative_tests, detail=collection_error)
    elif done is not None and done["exit_code"] == pytest.ExitCode.NO_TESTS_COLLECTED:
        result.problem = t("grading.no_tests", lang, path=relative_tests)
    elif done is not None and (not collected or len(results) < len(collected)):
        result.problem = t("grading.pytest_error", lang, code=done["exit_code"], detail=done["log"] or "?")
    return result

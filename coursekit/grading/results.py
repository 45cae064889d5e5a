"""Grading results and their ``results.json`` form (Exercism test-runner interface, version 3).

Statuses follow Exercism: a test ``pass``-es, ``fail``-s (the check ran and did not hold) or
ends in ``error`` (it could not run: the exercise did not import, the process was stopped...).
An exercise, and the whole report, take the worst status of their parts (error > fail > pass).

Partial credit follows the exercise's tasks (``@pytest.mark.task(n)``): its points are split
evenly over its tasks, and a task's share evenly over its tests, so each passing test earns its
part and a task with many small checks weighs no more than a task with one. Untagged tests form
one task together. An exercise marked ``scoring = "all_or_nothing"`` in the manifest earns its
points only when every test passes. Interfering with the grader earns nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from coursekit.i18n import t

RESULTS_VERSION = 3
OUTPUT_LIMIT = 500
MESSAGE_LIMIT = 2000

Status = Literal["pass", "fail", "error"]
FailureKind = Literal["not_implemented", "assertion", "exception", "load", "exit", "skipped", "stopped", "tampered"]
_SEVERITY = {"pass": 0, "fail": 1, "error": 2}


def worst(statuses: Iterable[str]) -> Status:
    """The most severe of ``statuses``; ``pass`` when there are none."""
    return max(statuses, key=_SEVERITY.__getitem__, default="pass")  # type: ignore[return-value]


def truncate(text: str, limit: int, lang: str | None) -> str:
    """``text`` cut to at most ``limit`` characters, ending with a note when something was cut."""
    if len(text) <= limit:
        return text
    note = t("grading.output_truncated", lang, limit=limit)
    return text[: max(0, limit - len(note) - 1)] + "\n" + note


@dataclass
class TestResult:
    """One test, named for humans (its docstring's first line, or its function name)."""

    __test__ = False  # not a pytest test class, despite the name

    name: str
    status: Status
    message: str | None = None
    output: str | None = None
    task_id: int | None = None
    failure_kind: FailureKind | None = None
    """Why it did not pass; used by ``verify``, not written to results.json."""
    max_score: float = 0.0
    """This test's share of its exercise's points (set by :class:`ExerciseResult`)."""

    @property
    def score(self) -> float:
        return self.max_score if self.status == "pass" else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "message": self.message,
            "output": self.output,
            "task_id": self.task_id,
            "score": _points(self.score),
            "max_score": _points(self.max_score),
        }


def _points(value: float) -> float | int:
    """Points as they are written and shown: whole numbers stay whole, others keep two decimals."""
    rounded = round(value, 2)
    return int(rounded) if rounded == int(rounded) else rounded


def share_points(tests: list[TestResult], points: int) -> None:
    """Split ``points`` evenly over the tests' tasks, and each task's share over its tests."""
    per_task = Counter(test.task_id for test in tests)
    for test in tests:
        test.max_score = points / len(per_task) / per_task[test.task_id]


@dataclass
class ExerciseResult:
    """One exercise graded against one target."""

    name: str
    max_score: int
    tests: list[TestResult] = field(default_factory=list)
    problem: str | None = None
    """Why the exercise as a whole could not be graded (timeout, crash, no tests...)."""
    duration: float = 0.0
    all_or_nothing: bool = False

    def __post_init__(self) -> None:
        share_points(self.tests, self.max_score)

    @classmethod
    def from_fields(cls, data: dict[str, Any]) -> ExerciseResult:
        """Rebuild from ``dataclasses.asdict`` (how a sandboxed grader hands results out)."""
        tests = [TestResult(**{**test, "max_score": 0.0}) for test in data["tests"]]
        return cls(**{**data, "tests": tests})

    @property
    def status(self) -> Status:
        if self.problem or not self.tests:
            return "error"
        return worst(test.status for test in self.tests)

    @property
    def tampered(self) -> bool:
        return any(test.failure_kind == "tampered" for test in self.tests)

    @property
    def passed_tests(self) -> int:
        return sum(test.status == "pass" for test in self.tests)

    @property
    def score(self) -> float | int:
        if self.all_or_nothing or self.tampered or not self.tests:
            return self.max_score if self.status == "pass" else 0
        return _points(sum(test.score for test in self.tests))

    @property
    def message(self) -> str | None:
        """The one-line reason of an ``error``: the exercise's problem, else its first erroring test's."""
        if self.status != "error":
            return None
        return self.problem or next((test.message for test in self.tests if test.status == "error"), None)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "status": self.status, "score": self.score, "max_score": self.max_score}
        if self.message is not None:
            data["message"] = self.message
        data["duration"] = round(self.duration, 3)
        data["tests"] = [test.to_dict() for test in self.tests]
        return data


@dataclass(frozen=True)
class Provenance:
    """What was graded, when, by what and how: so an instructor can defend a grade later."""

    target: str
    sandbox: str
    graded_at: str
    coursekit: str
    commit: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Report:
    """Every graded exercise of one target, in course order."""

    exercises: list[ExerciseResult]
    lang: str | None = None
    provenance: Provenance | None = None

    @property
    def status(self) -> Status:
        return worst(exercise.status for exercise in self.exercises)

    @property
    def score(self) -> float | int:
        return _points(sum(exercise.score for exercise in self.exercises))

    @property
    def max_score(self) -> int:
        return sum(exercise.max_score for exercise in self.exercises)

    @property
    def message(self) -> str | None:
        broken = [exercise.name for exercise in self.exercises if exercise.status == "error"]
        if not broken:
            return None
        return t("grading.report_error", self.lang, count=len(broken), names=", ".join(broken))

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"version": RESULTS_VERSION, "status": self.status}
        if self.message is not None:
            data["message"] = self.message
        data["score"] = self.score
        data["max_score"] = self.max_score
        if self.provenance is not None:
            data |= self.provenance.to_dict()
        data["exercises"] = [exercise.to_dict() for exercise in self.exercises]
        return data

    def write_json(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

"""results.json semantics: statuses, partial credit by task, truncated output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coursekit.grading.results import OUTPUT_LIMIT, ExerciseResult, Report, TestResult, truncate, worst


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [([], "pass"), (["pass", "pass"], "pass"), (["pass", "fail"], "fail"), (["fail", "error", "pass"], "error")],
)
def test_worst_status_wins(statuses: list[str], expected: str) -> None:
    assert worst(statuses) == expected


def test_output_is_cut_to_the_limit_with_a_note() -> None:
    assert truncate("short", OUTPUT_LIMIT, "en") == "short"
    cut = truncate("x" * 10_000, OUTPUT_LIMIT, "pt")
    assert len(cut) <= OUTPUT_LIMIT
    assert cut.startswith("xxx") and cut.endswith("[saída cortada em 500 caracteres]")


def exercise(*statuses: str, points: int = 10, problem: str | None = None, tasks: list[int | None] | None = None,
             all_or_nothing: bool = False) -> ExerciseResult:
    tasks = tasks or [None] * len(statuses)
    tests = [TestResult(f"test {n}", status, None if status == "pass" else f"why {n}", task_id=task)
             for n, (status, task) in enumerate(zip(statuses, tasks, strict=True))]
    return ExerciseResult("day1_x/ex01_y", points, tests, problem=problem, all_or_nothing=all_or_nothing)


def test_points_are_split_over_tasks_then_tests() -> None:
    assert exercise("pass", "pass").score == 10
    assert exercise("pass", "fail").score == 5
    # Task 1 has three tests, task 2 one: each task is worth 5 points, however many checks it has.
    split = exercise("pass", "pass", "fail", "pass", tasks=[1, 1, 1, 2])
    assert [round(test.max_score, 2) for test in split.tests] == [1.67, 1.67, 1.67, 5]
    assert split.score == 8.33
    assert exercise("pass", "pass", problem="stopped").score == 10  # what passed before a stop still counts


def test_all_or_nothing_stays_possible() -> None:
    assert exercise("pass", "pass", all_or_nothing=True).score == 10
    assert exercise("pass", "fail", all_or_nothing=True).score == 0


def test_interfering_earns_nothing() -> None:
    tampered = exercise("pass", "error")
    tampered.tests[1].failure_kind = "tampered"
    assert tampered.score == 0


def test_an_exercise_without_tests_is_an_error() -> None:
    assert exercise().status == "error"


def test_message_only_on_error() -> None:
    assert exercise("pass", "fail").message is None
    assert "message" not in exercise("pass", "fail").to_dict()
    assert exercise("pass", "error", "error").message == "why 1"
    assert exercise("pass", problem="timed out").to_dict()["message"] == "timed out"


def test_report_adds_up_and_writes_json(tmp_path: Path) -> None:
    report = Report([exercise("pass"), exercise("fail", points=5), exercise("error", points=20)], lang="id")
    path = tmp_path / "results.json"
    report.write_json(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert (data["version"], data["status"], data["score"], data["max_score"]) == (3, "error", 10, 35)
    assert [entry["score"] for entry in data["exercises"][0]["tests"]] == [10]
    assert data["message"] == "1 latihan tidak bisa dinilai: day1_x/ex01_y."
    assert [entry["status"] for entry in data["exercises"]] == ["pass", "fail", "error"]
    assert set(data["exercises"][1]["tests"][0]) == {"name", "status", "message", "output", "task_id", "score", "max_score"}

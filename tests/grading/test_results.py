"""results.json semantics: statuses, all-or-nothing scores, truncated output."""

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


def exercise(*statuses: str, points: int = 10, problem: str | None = None) -> ExerciseResult:
    tests = [TestResult(f"test {n}", status, None if status == "pass" else f"why {n}") for n, status in enumerate(statuses)]
    return ExerciseResult("day1_x/ex01_y", points, tests, problem=problem)


def test_points_only_when_every_test_passes() -> None:
    assert exercise("pass", "pass").score == 10
    assert exercise("pass", "fail").score == 0
    assert exercise("pass", "pass", problem="stopped").score == 0


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
    assert data["message"] == "1 latihan tidak bisa dinilai: day1_x/ex01_y."
    assert [entry["status"] for entry in data["exercises"]] == ["pass", "fail", "error"]
    assert set(data["exercises"][1]["tests"][0]) == {"name", "status", "message", "output", "task_id"}

"""Golden results.json files, in the spirit of Exercism's ``test/<case>/expected_results.json``.

Each case grades a target of the mini course (``fixtures/mini``) and compares the whole
results.json with ``fixtures/expected/<case>.json``, after removing what changes from run to
run (durations, memory addresses, where the repository is checked out). To regenerate after
an intended change, run with ``GOLDEN_UPDATE=1`` and review the diff before committing.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from coursekit.grading import grade
from coursekit.manifest import Course

FIXTURES = Path(__file__).parent / "fixtures"
EXPECTED = FIXTURES / "expected"

#: case -> (target folder under fixtures/, exercises to grade (None: all), language)
CASES: dict[str, tuple[str, list[str] | None, str]] = {
    "passing": ("mini/solutions", None, "en"),
    "failing": ("mini/exercises", None, "en"),
    "wrong_answer": ("targets/wrong_answer", ["ex01"], "en"),
    "missing_file": ("targets/wrong_answer", ["ex02"], "en"),
    "syntax_error": ("targets/syntax_error", ["ex01"], "pt"),
    "import_error": ("targets/import_error", ["ex01"], "en"),
    "exit_on_import": ("targets/exit_on_import", ["ex01"], "en"),
    "sys_exit": ("targets/sys_exit", ["ex01"], "en"),
    "os_exit": ("targets/os_exit", ["ex01"], "id"),
    "infinite_loop": ("targets/infinite_loop", ["ex01"], "en"),
    "segfault": ("targets/segfault", ["ex01"], "en"),
    "huge_output": ("targets/huge_output", ["ex02"], "en"),
}


def normalize(results: dict[str, Any]) -> dict[str, Any]:
    """results.json without what varies between runs and machines."""
    for key in ("graded_at", "coursekit", "commit", "sandbox"):
        results.pop(key)
    for exercise in results["exercises"]:
        exercise.pop("duration")
    text = json.dumps(results, ensure_ascii=False, indent=2)
    text = text.replace(str(FIXTURES), "<fixtures>")
    return json.loads(re.sub(r"0x[0-9a-f]+", "0x…", text))


@pytest.mark.parametrize("case", CASES)
def test_results_match_golden_file(case: str, mini_course: Course) -> None:
    target, names, lang = CASES[case]
    actual = normalize(grade(mini_course, names, FIXTURES / target, lang=lang).to_dict())
    expected_file = EXPECTED / f"{case}.json"
    if os.environ.get("GOLDEN_UPDATE") == "1":
        expected_file.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        pytest.skip(f"rewrote {expected_file.name}: review the diff")
    assert actual == json.loads(expected_file.read_text(encoding="utf-8"))


def test_every_golden_file_has_a_case() -> None:
    assert sorted(path.stem for path in EXPECTED.glob("*.json")) == sorted(CASES)


@pytest.mark.parametrize("case", CASES)
def test_golden_files_follow_the_v3_interface(case: str) -> None:
    """The shape Exercism's test-runner v3 defines: what instructors' tools will parse."""
    results = json.loads((EXPECTED / f"{case}.json").read_text(encoding="utf-8"))
    assert results["version"] == 3
    assert results["status"] in {"pass", "fail", "error"}
    assert ("message" in results) == (results["status"] == "error")
    assert results["score"] == pytest.approx(sum(exercise["score"] for exercise in results["exercises"]))
    assert results["target"] == Path(CASES[case][0]).name
    for exercise in results["exercises"]:
        assert ("message" in exercise) == (exercise["status"] == "error")
        assert exercise["score"] == pytest.approx(sum(test["score"] for test in exercise["tests"]))
        assert sum(test["max_score"] for test in exercise["tests"]) == pytest.approx(exercise["max_score"])
        for test in exercise["tests"]:
            assert set(test) == {"name", "status", "message", "output", "task_id", "score", "max_score"}
            assert (test["message"] is None) == (test["status"] == "pass")
            assert test["score"] == (test["max_score"] if test["status"] == "pass" else 0)
            assert test["output"] is None or len(test["output"]) <= 500


@pytest.mark.parametrize("case", ["huge_output", "syntax_error", "failing"])
def test_results_do_not_depend_on_the_host(case: str, mini_course: Course, monkeypatch: pytest.MonkeyPatch) -> None:
    """A CI machine (``CI`` set), forced colours or ``PYTEST_ADDOPTS=-vv`` must not change a student's messages."""
    for name, value in {"CI": "true", "BUILD_NUMBER": "7", "PYTEST_ADDOPTS": "-vv", "PY_COLORS": "1",
                        "FORCE_COLOR": "1"}.items():
        monkeypatch.setenv(name, value)
    target, names, lang = CASES[case]
    actual = normalize(grade(mini_course, names, FIXTURES / target, lang=lang).to_dict())
    assert actual == json.loads((EXPECTED / f"{case}.json").read_text(encoding="utf-8"))

"""Each student's ``results.json``: the grader's v3 report, or a one-line error in the same shape.

A submission that could not be graded (a zip-slip, a zip bomb, nothing to grade, a worker that
hung) still gets a ``results.json``: status ``error``, its ``message``, and every exercise at 0
with that message, so the gradebook has a row for every student and ``--resume`` knows it is done.
Each test also says whether it is ``visible`` (the course's tests) or ``hidden`` (``--tests``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

from coursekit.grading.results import RESULTS_VERSION
from coursekit.i18n import t
from coursekit.manifest import Exercise

RESULTS_NAME = "results.json"
#: Why a submission has no grade, and the message each reason gets (in the grading language).
PROBLEM_MESSAGES = {
    "zip_slip": "cli.class_zip_slip",
    "zip_link": "cli.class_zip_link",
    "too_big": "cli.class_zip_too_big",
    "too_many_files": "cli.class_zip_too_many_files",
    "size_mismatch": "cli.class_zip_size_mismatch",
    "unreadable": "cli.class_unreadable",
    "empty": "cli.class_empty",
    "no_exercises": "cli.class_no_exercises",
    "duplicate": "cli.class_duplicate",
    "timeout": "cli.class_worker_timeout",
    "crashed": "cli.class_worker_crashed",
}


def problem_message(kind: str, lang: str, **values: object) -> str:
    return t(PROBLEM_MESSAGES[kind], lang, **values)


def error_report(student: str, message: str, exercises: list[Exercise], sandbox: str, commit: str | None) -> dict[str, Any]:
    """The ``results.json`` of a submission that could not be graded: every exercise 0, one message."""
    return {
        "version": RESULTS_VERSION, "status": "error", "message": message, "score": 0,
        "max_score": sum(exercise.points for exercise in exercises),
        "target": student, "sandbox": sandbox, "graded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "coursekit": package_version("coursekit"), "commit": commit,
        "exercises": [{"name": exercise.name, "status": "error", "score": 0, "max_score": exercise.points,
                       "message": message, "duration": 0.0, "tests": []} for exercise in exercises],
    }


def mark_visibility(report: dict[str, Any], visibility: Callable[[str, str], str]) -> dict[str, Any]:
    """Add ``visibility`` to every test: ``visibility(exercise, test name)`` is ``visible`` or ``hidden``."""
    for exercise in report.get("exercises", []):
        for test in exercise.get("tests", []):
            test["visibility"] = visibility(exercise["name"], test["name"])
    return report


def report_text(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


def read_report(path: Path) -> dict[str, Any] | None:
    """A finished ``results.json``, or None when it is missing or not one (then the student is graded again)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != RESULTS_VERSION or not isinstance(data.get("exercises"), list):
        return None
    if not all(isinstance(data.get(key), int | float) for key in ("score", "max_score")) or not isinstance(data.get("status"), str):
        return None
    if not all(isinstance(exercise, dict) and isinstance(exercise.get("name"), str) for exercise in data["exercises"]):
        return None
    return data

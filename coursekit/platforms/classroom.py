"""GitHub Classroom: the autograding workflow, and the step output its grading reporter reads.

GitHub Classroom's reporter (``classroom-resources/autograding-grading-reporter``) reads, for
each runner id listed in its ``runners`` input, the environment variable ``<ID>_RESULTS``: a
graders' step output ``result`` holding base64-encoded JSON, as its command grader writes it::

    {"version": 1, "status": "pass" | "fail" | "error", "max_score": int,
     "tests": [{"name", "status", "score", "message", "test_code", "filename", "line_no", "duration" (ms)}]}

It adds up the tests' ``score`` for the points it sends to Classroom, and ``max_score`` for the
maximum. Classroom only takes the points of a workflow named ``Autograding Tests`` whose one job is
``run-autograding-tests``. The workflow here grades with ``coursekit check --json`` and turns its
results.json into that output with ``coursekit classroom report``: one test per exercise, worth
the exercise's points, so the points match ``coursekit check``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from typing import Any

WORKFLOW_PATH = ".github/workflows/classroom.yml"
RUNNER = "coursekit"
RESULTS_FILE = "results.json"
STATUSES = ("pass", "fail", "error")

WORKFLOW = """\
# GitHub Classroom autograding, written by `coursekit classroom init`: each push is graded by the
# course's own grader, and the reporter sends the points to Classroom. Classroom only reads a workflow
# named "Autograding Tests" whose one job is "run-autograding-tests"; keep both names.
name: Autograding Tests
"on":
  - push
  - repository_dispatch
  - workflow_dispatch
permissions:
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    timeout-minutes: 30
    steps:
      - name: Checkout code
        uses: actions/checkout@v5
      - name: Set up Python
        uses: actions/setup-python@v6
        with:
          python-version: "3.11"
          cache: pip
          cache-dependency-path: |
            requirements.txt
            constraints.txt
      - name: Install the course
        run: make setup
      - name: Grade with the course's grader
        id: {runner}
        run: |
          .venv/bin/python -m coursekit check {names}--json {results} --sandbox auto --lang {lang} || true
          .venv/bin/python -m coursekit classroom report {results} >> "$GITHUB_OUTPUT"
      - name: Autograding Reporter
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
          {env}: "${{{{ steps.{runner}.outputs.result }}}}"
        with:
          runners: {runner}
"""


def workflow(names: Iterable[str], lang: str) -> str:
    """The workflow file: grade ``names`` (the whole course when empty), messages in ``lang``."""
    chosen = "".join(f"{name} " for name in names)
    return WORKFLOW.format(runner=RUNNER, names=chosen, results=RESULTS_FILE, lang=lang, env=f"{RUNNER.upper()}_RESULTS")


def _message(exercise: dict[str, Any]) -> str:
    """The reporter prints ``message`` for an erroring test: the reason, then each failing check."""
    lines = [exercise["message"]] if exercise.get("message") else []
    for test in exercise["tests"]:
        if test["status"] != "pass":
            first = (test.get("message") or "").strip().splitlines()
            lines.append(f"✘ {test['name']}" + (f": {first[0]}" if first else ""))
    return "\n".join(lines)


def to_classroom(results: dict[str, Any]) -> dict[str, Any]:
    """The reporter's JSON from the course's results.json (version 3): one test per exercise."""
    tests = []
    for exercise in results["exercises"]:
        day, stem = exercise["name"].split("/", 1)
        tests.append({
            "name": exercise["name"],
            "status": exercise["status"],
            "score": exercise["score"],
            "message": _message(exercise),
            "test_code": f"coursekit check {exercise['name']}",
            "filename": f"exercises/{day}/{stem}.py",
            "line_no": 0,
            "duration": round(exercise.get("duration", 0) * 1000),
        })
    return {"version": 1, "status": results["status"], "max_score": results["max_score"], "tests": tests}


def encode(report: dict[str, Any]) -> str:
    """Base64 of the report's JSON, as the reporter decodes it (``Buffer.from(value, "base64")``)."""
    return base64.b64encode(json.dumps(report, ensure_ascii=False, separators=(",", ":")).encode("utf-8")).decode("ascii")


def step_output(results: dict[str, Any]) -> str:
    """The ``$GITHUB_OUTPUT`` line that sets the step output ``result``."""
    return f"result={encode(to_classroom(results))}"

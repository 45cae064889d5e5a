"""Grades do not depend on how busy the machine is: the whole course, graded while every core spins."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from verify_in_background import CourseVerdict

from coursekit.grading import grade
from coursekit.manifest import load_course


@pytest.fixture
def busy_cores() -> Iterator[None]:
    """One busy loop per core, for as long as the test runs."""
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(os.cpu_count() or 2)]
    try:
        yield
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()


def comparable(results: dict) -> dict:
    """results.json without what differs between two gradings of the same bytes."""
    results.pop("graded_at")
    for exercise in results["exercises"]:
        exercise.pop("duration")
    return results


@pytest.mark.slow
@pytest.mark.timeout(600)  # two gradings of the whole course with every core taken
def test_the_same_grades_on_a_loaded_machine(real_course_verified: CourseVerdict, busy_cores: None) -> None:
    """One loaded grading of each: every CI run adds a sample, so the suite does not repeat it."""
    course = load_course()
    quiet = comparable(real_course_verified.templates)
    assert quiet["score"] == 0
    solutions = grade(course, None, "solutions", lang="en")
    failing = {exercise.name: exercise.message or [test.message for test in exercise.tests if test.status != "pass"]
               for exercise in solutions.exercises if exercise.status != "pass"}
    assert not failing, failing
    loaded = json.loads(json.dumps(grade(course, None, "exercises", lang="en").to_dict()))  # as the verdict was read
    assert comparable(loaded) == quiet

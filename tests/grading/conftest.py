"""Tests of the grader. ``fixtures/`` holds a synthetic mini course and broken targets: data, not tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from course_grades import CourseGrades

from coursekit.grading import grade
from coursekit.grading.verify import gradable
from coursekit.manifest import Course, load_course

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"

collect_ignore = ["fixtures"]


@pytest.fixture(scope="session")
def mini_course() -> Course:
    return load_course(MINI)


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A throw-away copy of the mini course, for tests that break it on purpose."""
    return Path(shutil.copytree(MINI, tmp_path / "mini"))

@pytest.fixture(scope="session")
def real_course_grades() -> CourseGrades:
    """One grading of the real course per test session, the way `coursekit verify` grades it (sandbox auto)."""
    course = load_course()
    names = gradable(course)
    return CourseGrades(course, grade(course, names, "solutions", lang="en"), grade(course, names, "exercises", lang="en"))

"""What the session fixture ``real_course_grades`` (tests/grading/conftest.py) hands to its tests."""

from __future__ import annotations

from dataclasses import dataclass

from coursekit.grading import Report
from coursekit.manifest import Course


@dataclass(frozen=True)
class CourseGrades:
    """The real course's solutions and templates, graded once for every test that reads them."""

    course: Course
    solutions: Report
    templates: Report

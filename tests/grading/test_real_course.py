"""The course itself, through the grader students and instructors use: it must verify clean."""

from __future__ import annotations

import pytest

from coursekit.grading import verify_course
from coursekit.manifest import load_course


@pytest.mark.slow
def test_the_course_verifies() -> None:
    """Each solution passes, each template fails only at its TODO, manifest and files agree."""
    assert verify_course(load_course(), lang="en") == []

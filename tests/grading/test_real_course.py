"""The real course through the grader: broken submissions cost only the exercises they break.

(That every solution passes and every template fails is ``coursekit verify``, which
tests/test_cli.py runs as a subprocess, the way ``make test`` promises.)
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from coursekit.grading import grade
from coursekit.manifest import load_course

#: What a submission can do to the grader, by exercise position in the manifest.
BREAKAGES = {
    0: "while True:\n    pass\n",  # loops forever at import
    1: "import os\n\nos._exit(3)\n",  # kills its own process
    2: "def broken(:\n    pass\n",  # does not even parse
}
#: The issue's promise for a whole course with those three in it.
WHOLE_COURSE_BUDGET_SECONDS = 60


@pytest.mark.slow
def test_a_broken_copy_of_the_solutions_is_graded_fairly_and_in_time(tmp_path: Path) -> None:
    course = load_course()
    target = tmp_path / "submission"
    shutil.copytree(course.root / "solutions", target)
    # One broken exercise per day, so that each breakage also shares a day with passing ones.
    firsts = {}
    for exercise in course.exercises:
        firsts.setdefault(exercise.day, exercise)
    broken = list(firsts.values())[: len(BREAKAGES)]
    for index, exercise in enumerate(broken):
        exercise.file_in(target).write_text(BREAKAGES[index], encoding="utf-8")

    started = time.monotonic()
    report = grade(course, None, target, lang="en")
    elapsed = time.monotonic() - started

    statuses = {result.name: result.status for result in report.exercises}
    assert len(statuses) == len(course.exercises)
    for exercise in broken:
        assert statuses.pop(exercise.name) != "pass", f"{exercise.name} was broken but passed"
    assert set(statuses.values()) == {"pass"}, statuses
    assert elapsed < WHOLE_COURSE_BUDGET_SECONDS

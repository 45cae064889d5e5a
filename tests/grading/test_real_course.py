"""The real course through the grader: it is consistent (what ``coursekit verify`` checks, from the
session's one grading of it, run in the background), and broken submissions cost only the exercises
they break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from verify_in_background import CourseVerdict

from coursekit.grading import grade
from coursekit.manifest import load_course

#: What a submission can do to the grader, by exercise position in the manifest.
BREAKAGES = {
    0: "while True:\n    pass\n",  # loops forever at import
    1: "import os\n\nos._exit(3)\n",  # kills its own process
    2: "def broken(:\n    pass\n",  # does not even parse
}


@pytest.mark.timeout(960)  # waits for the background verify (tests/grading/conftest.py)
def test_every_solution_passes_and_every_template_fails_at_its_todo(real_course_verified: CourseVerdict) -> None:
    assert real_course_verified.violations == []
    assert real_course_verified.templates["score"] == 0


@pytest.mark.timeout(960)
def test_every_wrong_solution_of_the_corpus_fails_and_every_right_one_passes(real_course_verified: CourseVerdict) -> None:
    corpus = real_course_verified.corpus
    assert corpus["violations"] == []
    assert corpus["wrong"] >= 3 * len(load_course().exercises) and corpus["right"] >= len(load_course().exercises)


@pytest.mark.slow
@pytest.mark.timeout(600)  # the grader's own limits end the loop; how fast it grades is bench/bench_grading.py's figure
def test_a_broken_copy_of_the_solutions_is_graded_fairly(tmp_path: Path) -> None:
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

    report = grade(course, None, target, lang="en")

    statuses = {result.name: result.status for result in report.exercises}
    assert len(statuses) == len(course.exercises)
    for exercise in broken:
        assert statuses.pop(exercise.name) != "pass", f"{exercise.name} was broken but passed"
    assert set(statuses.values()) == {"pass"}, statuses

"""``grade-class``: every submission of a class graded, several at once, into one report folder.

The steps, each in a module of its own: find and unpack the submissions
(:mod:`~coursekit.grade_class.submissions`), copy the course with the instructor's tests and the
class's limits (:mod:`~coursekit.grade_class.overlay`), grade each student in a process (a sandbox) of
their own (:mod:`~coursekit.grade_class.pool`, :mod:`~coursekit.grade_class.worker`), write each
``<student>/results.json`` the moment it is known (:mod:`~coursekit.grade_class.reports`, atomically:
:mod:`~coursekit.atomic`), and at the end, or when stopped, the class's ``grades.csv``,
``junit.xml`` and ``report.html`` from every ``results.json`` there is
(:mod:`~coursekit.grade_class.gradebook`, :mod:`~coursekit.grade_class.html_report`).

Each student's code is read before anyone is graded and compared while they are graded; once every
student is graded, the pairs of near-identical code per exercise go to ``similarity.csv``, ``similarity.json`` and the page
(:mod:`~coursekit.grade_class.similarity`): a pointer for the instructor, never part of a score.

With ``resume``, a student whose ``results.json`` is already there is not graded again.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coursekit.atomic import sweep, write_atomic
from coursekit.grade_class import overlay
from coursekit.grade_class import similarity as similar
from coursekit.grade_class.gradebook import Row, csv_text, junit_text
from coursekit.grade_class.html_report import html_text
from coursekit.grade_class.pool import Outcome, run_workers
from coursekit.grade_class.reports import RESULTS_NAME, error_report, mark_visibility, problem_message, read_report, report_text
from coursekit.grade_class.submissions import Problem, find_submissions, prepare
from coursekit.grade_class.worker import Job, launch, report_of
from coursekit.grading.runner import FORMATTING_WALL_ALLOWANCE, STARTUP_ALLOWANCE, course_commit
from coursekit.grading.sandbox import choose as choose_sandbox
from coursekit.manifest import Course, Exercise, localized

CSV_NAME = "grades.csv"
JUNIT_NAME = "junit.xml"
HTML_NAME = "report.html"
REPORT_FILES = (CSV_NAME, JUNIT_NAME, HTML_NAME, similar.CSV_NAME, similar.JSON_NAME)
#: A worker's own start (an interpreter, the grader's imports), beyond its exercises' allowances.
WORKER_ALLOWANCE = 60.0


@dataclass(frozen=True)
class ClassOptions:
    submissions: Path
    out: Path
    lang: str
    names: list[str] | None = None
    jobs: int = 2
    tests: Path | None = None
    sandbox: str = "auto"
    resume: bool = False
    cpu_cap: float | None = None
    wall_cap: float | None = None


@dataclass
class ClassSummary:
    students: int = 0
    """Students in the gradebook."""
    to_grade: int = 0
    graded: int = 0
    """Graded in this run (an unreadable submission's error row counts)."""
    skipped: int = 0
    """Already graded (``resume``)."""
    errors: int = 0
    """Rows of this run with status ``error`` because the submission could not be graded at all."""
    sandbox: str = "none"
    interrupted: bool = False
    files: list[Path] = field(default_factory=list)


@dataclass
class ClassEvents:
    """What the command line shows: called in this process, in order."""

    planned: Callable[[ClassSummary], None] = lambda summary: None
    finished: Callable[[str, dict[str, Any], ClassSummary], None] = lambda student, report, summary: None


def _deadline(exercises: list[Exercise]) -> float:
    """A worker's backstop: the grader limits each exercise itself, this only catches a wedged worker."""
    return WORKER_ALLOWANCE + sum(STARTUP_ALLOWANCE + exercise.limits.wall + FORMATTING_WALL_ALLOWANCE for exercise in exercises)


def grade_class(course: Course, options: ClassOptions, events: ClassEvents | None = None) -> ClassSummary:
    """Grade every submission in ``options.submissions`` into ``options.out``; see the module docstring.

    Raises :class:`~coursekit.manifest.UnknownExerciseError`, :class:`~coursekit.grading.sandbox.SandboxUnavailable`
    and :class:`~coursekit.grade_class.overlay.InstructorTestsError` before grading anyone. A
    ``KeyboardInterrupt`` stops the workers, writes the class reports of what is graded, and propagates.
    """
    events = events or ClassEvents()
    exercises = course.select_all(options.names)
    sandbox = choose_sandbox(options.sandbox)  # type: ignore[arg-type]
    out = options.out
    out.mkdir(parents=True, exist_ok=True)
    sweep(out)
    submissions = find_submissions(options.submissions, skip=[out])
    commit = course_commit(course.root)
    summary = ClassSummary(students=len(submissions), sandbox=sandbox)
    students = [submission.student for submission in submissions]
    with tempfile.TemporaryDirectory(prefix="coursekit-class-") as work:
        root = overlay.build(course, Path(work) / "course", tests=options.tests, cpu_cap=options.cpu_cap,
                             wall_cap=options.wall_cap)
        workspace = Path(work) / "submissions"
        workspace.mkdir()

        def record(student: str, report: dict[str, Any]) -> None:
            write_atomic(out / student / RESULTS_NAME, report_text(report))
            summary.graded += 1
            summary.errors += not Row(student, report).graded
            events.finished(student, report, summary)

        def problem(student: str, kind: str, **values: object) -> None:
            message = problem_message(kind, options.lang, student=student, **values)
            record(student, error_report(student, message, exercises, sandbox, commit))

        def done(job: Job, outcome: Outcome) -> None:
            if outcome.report is None:
                problem(job.student, outcome.problem or "crashed", detail=outcome.detail)
                return
            lang = options.lang
            record(job.student, mark_visibility(outcome.report, lambda name, test: root.visibility(name, test, lang)))

        sources = similar.Sources()
        for exercise in exercises:
            sources.add_template(exercise.name, exercise.template)
        similarity: similar.Similarity | None = None
        comparison: similar.Comparison | None = None
        try:
            finished = {submission.student for submission in submissions
                        if options.resume and read_report(out / submission.student / RESULTS_NAME) is not None}
            summary.skipped = len(finished)
            summary.to_grade = len(submissions) - len(finished)
            events.planned(summary)
            jobs: list[Job] = []
            for submission in submissions:
                # A student graded before (--resume) is unpacked too: their code is compared with the class's.
                pending = submission.student not in finished
                try:
                    if submission.problem is not None:
                        raise submission.problem
                    target = prepare(submission, workspace, [day.slug for day in course.days])
                except Problem as error:
                    if pending:
                        problem(submission.student, error.kind, **error.values)
                    continue
                for exercise in exercises:
                    sources.add(exercise.name, submission.student, exercise.file_in(target))
                if pending:
                    jobs.append(Job(str(root.course.root), submission.student, str(target), [e.name for e in exercises],
                                    options.lang, sandbox, commit, os.getpid()))
            comparison = similar.Comparison(sources, Path(work) / "similarity")  # works beside the graders
            deadline = _deadline([root.course.exercise(exercise.name) for exercise in exercises])
            run_workers(jobs, parallel=options.jobs, deadline=lambda job: deadline, on_done=done,
                        launch=lambda job: launch(job, root.course),
                        parse=lambda job, output, code, last_words: report_of(job, root.course, output, code, last_words))
            similarity = comparison.result()
        except KeyboardInterrupt:
            summary.interrupted = True
            raise
        finally:
            if comparison is not None:
                comparison.stop()
            summary.files = write_class_reports(course, out, students, [exercise.name for exercise in exercises], options.lang,
                                                similarity)
    return summary


def class_rows(out: Path, students: list[str]) -> list[Row]:
    """The gradebook rows: every student with a finished ``results.json``, by name."""
    rows = []
    for student in students:
        report = read_report(out / student / RESULTS_NAME)
        if report is not None:
            rows.append(Row(student, report))
    return rows


def write_class_reports(course: Course, out: Path, students: list[str], names: list[str], lang: str,
                        similarity: similar.Similarity | None = None) -> list[Path]:
    """``grades.csv``, ``junit.xml`` and ``report.html`` of every finished student, each written atomically,
    and ``similarity.csv`` and ``similarity.json`` when the class's code was compared (a run that finished)."""
    rows = class_rows(out, students)
    title = localized(course.title, lang)
    texts = {CSV_NAME: csv_text(rows, names), JUNIT_NAME: junit_text(rows),
             HTML_NAME: html_text(rows, names, lang, title, similarity)}
    if similarity is not None:
        texts |= {similar.CSV_NAME: similar.csv_text(similarity), similar.JSON_NAME: similar.json_text(similarity)}
    for name, text in texts.items():
        write_atomic(out / name, text)
    return [out / name for name in texts]

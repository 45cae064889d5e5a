"""What every command needs: the course, the language, where the work is, and how to grade it.

Commands stay short because the translation from "what the student typed" to course objects
happens here once, with the student-facing error for each way it can go wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from coursekit.cli.errors import CourseCLIError, CourseUsageError
from coursekit.cli.progress import (
    NOT_STARTED,
    PASS,
    ExerciseProgress,
    ResultCache,
    committed_blob_ids,
    fingerprint,
    untouched,
)
from coursekit.i18n import t
from coursekit.manifest import MANIFEST_NAME, REPO_ROOT, Course, CourseError, Exercise, UnknownExerciseError, load_course

if TYPE_CHECKING:
    from coursekit.cli.render import GradingReporter
    from coursekit.grading import ExerciseResult, Report

def find_root(start: Path) -> Path:
    """The nearest folder from ``start`` upwards holding ``course.toml``; else this repository."""
    for folder in (start, *start.parents):
        if (folder / MANIFEST_NAME).is_file():
            return folder
    return REPO_ROOT


@dataclass
class Session:
    """One CLI invocation: a course root and the student's language."""

    root: Path
    lang: str

    @cached_property
    def course(self) -> Course:
        try:
            return load_course(self.root)
        except CourseError as error:
            raise CourseCLIError(error.describe(self.lang)) from None

    @cached_property
    def cache(self) -> ResultCache:
        return ResultCache(self.root)

    @property
    def workspace(self) -> Path:
        """The student's own copies: the course's ``exercises/`` folder."""
        return self.course.templates

    def select(self, queries: Sequence[str] | None) -> list[Exercise]:
        """The exercises named by ``queries`` (names, stems, prefixes, days); all when empty."""
        try:
            chosen = self.course.select_all(queries or None)
        except UnknownExerciseError as error:
            raise CourseUsageError(error.describe(self.lang)) from None
        if not chosen:  # only a day that is in the manifest but has no exercises selects nothing
            days = ", ".join(queries or [])
            raise CourseUsageError(t("cli.day_not_written", self.lang, day=days))
        return chosen

    def current(self) -> Exercise:
        """The exercise a student is on: the first one that has not passed, judged from the cache only."""
        return next((exercise for exercise in self.course.exercises if not self._cached_pass(exercise)), self.course.exercises[-1])

    def _cached_pass(self, exercise: Exercise) -> bool:
        cached = self.cached_result(exercise)
        return cached is not None and cached.status == PASS

    def one(self, query: str) -> Exercise:
        """Exactly one exercise: commands like ``hint`` refuse a day or an ambiguous prefix."""
        chosen = self.select([query])
        if len(chosen) > 1:
            names = ", ".join(exercise.name for exercise in chosen)
            raise CourseUsageError(t("cli.ambiguous_exercise", self.lang, query=query, names=names))
        return chosen[0]

    def target(self, value: str | None) -> Path:
        """``--target``: the words ``exercises``/``solutions``, or a folder laid out like exercises/."""
        if value is None:
            return self.workspace
        from coursekit.grading import resolve_target  # imported on use, like grade() below

        folder = resolve_target(value, self.course.root)
        if not folder.is_dir():
            raise CourseUsageError(t("cli.target_missing", self.lang, target=value))
        days = {day.slug for day in self.course.days}
        if not any((folder / day).is_dir() for day in days):
            students = sorted(child.name for child in folder.iterdir() if child.is_dir() and any((child / day).is_dir() for day in days))
            if students:
                raise CourseUsageError(t("cli.target_holds_students", self.lang, target=value, students=", ".join(students[:3]),
                                         first=students[0]))
        return folder

    def grade_inputs(self, exercise: Exercise, target: Path) -> list[Path]:
        """The files whose bytes decide an exercise's grade (what a cached result is keyed on):
        the graded file, its tests and their conftests, and course.toml (points, timeout)."""
        tests = exercise.tests.parent
        manifest = self.course.root / MANIFEST_NAME
        return [exercise.file_in(target), exercise.tests, tests / "conftest.py", tests.parent / "conftest.py", manifest]

    def grade(self, exercises: Sequence[Exercise], target: Path, reporter: GradingReporter | None = None,
              *, sandbox: str = "auto") -> Report:
        """Grade ``exercises`` in ``target``, telling ``reporter`` as each one finishes.

        ``reporter`` prints lines rather than a spinner: the grader forks its fast children only
        while this process has a single thread. Results of the student's own folder are
        remembered for ``status``, ``watch`` and ``solution``, keyed on the bytes that were graded.
        """
        from coursekit.grading import grade  # imported on use: commands that do not grade skip pytest
        from coursekit.grading.sandbox import SandboxUnavailable

        keys = {exercise.name: fingerprint(self.grade_inputs(exercise, target)) for exercise in exercises}
        if reporter is not None:
            reporter.start(len(keys))
        on_result = reporter.finished if reporter is not None else None
        try:
            report = grade(self.course, list(keys), target, lang=self.lang, sandbox=sandbox, on_result=on_result)  # type: ignore[arg-type]
        except SandboxUnavailable:
            raise CourseUsageError(t("cli.no_bwrap", self.lang)) from None
        if reporter is not None and report.provenance is not None:
            reporter.graded_in(report.provenance.sandbox, asked=sandbox)
        if target == self.workspace:
            for exercise, result in zip(exercises, report.exercises, strict=True):
                # A file saved again while it was being graded keeps no result: those bytes were not graded.
                if fingerprint(self.grade_inputs(exercise, target)) == keys[exercise.name]:
                    self.cache.put(exercise.name, keys[exercise.name], result)
            self.cache.save()
        return report

    def cached_result(self, exercise: Exercise) -> ExerciseResult | None:
        """The remembered result of the student's exercise, only if graded at its current bytes."""
        key = fingerprint(self.grade_inputs(exercise, self.workspace))
        return self.cache.get(exercise.name, key)

    def passes(self, exercise: Exercise, reporter: GradingReporter | None = None) -> bool:
        """Whether the student's exercise passes as it is now: from the cache, else graded now."""
        result = self.cached_result(exercise) or self.grade([exercise], self.workspace, reporter).exercises[0]
        return result.status == PASS

    def progress(self, reporter: GradingReporter | None = None) -> list[ExerciseProgress]:
        """Every exercise's standing, grading only what changed since it was last graded."""
        exercises = self.course.exercises
        files = {exercise.name: exercise.file_in(self.workspace) for exercise in exercises}
        fresh_templates = untouched(files.values(), committed_blob_ids(self.root, self.workspace))
        known: dict[str, ExerciseProgress] = {}
        stale = []
        for exercise in exercises:
            if files[exercise.name] in fresh_templates:
                known[exercise.name] = ExerciseProgress(exercise.name, exercise.day, NOT_STARTED, 0, exercise.points)
            elif cached := self.cached_result(exercise):
                known[exercise.name] = ExerciseProgress.of(exercise.day, cached)
            else:
                stale.append(exercise)
        if stale:
            graded = self.grade(stale, self.workspace, reporter).exercises
            known.update((exercise.name, ExerciseProgress.of(exercise.day, result)) for exercise, result in zip(stale, graded, strict=True))
        return [known[exercise.name] for exercise in exercises]

"""``coursekit verify``: the course checks itself before students ever see it.

A course is consistent when every solution passes every test, and every template fails every
test *because its TODO is not done* (a ``NotImplementedError`` or a failed assertion), not
because it does not even import. Files and manifest must also agree both ways: each entry has
its template, solution and tests, and no such file exists without an entry. Every test names
itself in every language in its docstring (:mod:`coursekit.grading.names`), so students never
read an English test name in Portuguese or Indonesian results. (Titles and hints in all three
languages are enforced by :func:`coursekit.manifest.load_course` already.)
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from coursekit.grading.names import missing_languages
from coursekit.grading.results import ExerciseResult, Report
from coursekit.grading.runner import DEFAULT_JOBS, grade
from coursekit.i18n import current_language, t
from coursekit.manifest import Course

#: Why a template's test may fail: the TODO raised, or the check saw the TODO's missing work.
TODO_FAILURES = {"not_implemented", "assertion"}


def _relative(course: Course, path: Path) -> str:
    return path.relative_to(course.root).as_posix()


def _missing_files(course: Course, lang: str) -> list[str]:
    violations = []
    for exercise in course.exercises:
        for key, path in (("template", exercise.template), ("solution", exercise.solution), ("tests", exercise.tests)):
            if not path.is_file():
                violations.append(t(f"grading.verify_missing_{key}", lang, exercise=exercise.name, path=_relative(course, path)))
    return violations


def _orphans(course: Course, lang: str) -> list[str]:
    """Exercise-like files that no manifest entry claims."""
    expected = {path for exercise in course.exercises for path in (exercise.template, exercise.solution, exercise.tests)}
    found = [*course.templates.glob("*/*.py"), *course.solutions.glob("*/*.py")]
    found += (course.root / "tests" / "exercises").glob("*/test_*.py")
    return [
        t("grading.verify_orphan", lang, path=_relative(course, path))
        for path in sorted(found)
        if path not in expected and not path.name.startswith("_")
    ]


def _test_functions(body: list[ast.stmt]) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    """The functions pytest collects as tests: ``test*`` at module level and in ``Test*`` classes."""
    for node in body:
        if isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            yield from _test_functions(node.body)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
            yield node


def _untranslated_tests(course: Course, lang: str) -> list[str]:
    """Tests whose docstring does not name them in every language (read without running them)."""
    violations = []
    for exercise in course.exercises:
        try:
            module = ast.parse(exercise.tests.read_bytes(), filename=str(exercise.tests))
        except (OSError, SyntaxError):
            continue  # a missing file is reported above, a broken one by grading below
        path = _relative(course, exercise.tests)
        for function in _test_functions(module.body):
            where = {"path": path, "line": function.lineno, "test": function.name}
            doc = ast.get_docstring(function)
            if not doc:
                violations.append(t("grading.verify_test_no_docstring", lang, **where))
            elif missing := missing_languages(doc):
                violations.append(t("grading.verify_test_untranslated", lang, languages=", ".join(missing), **where))
    return violations


def _solution_violations(result: ExerciseResult, lang: str) -> list[str]:
    if result.status == "error":
        return [t("grading.verify_solution_error", lang, exercise=result.name, message=result.message)]
    return [
        t("grading.verify_solution_fails", lang, exercise=result.name, test=test.name, message=test.message)
        for test in result.tests
        if test.status != "pass"
    ]


def _template_violations(result: ExerciseResult, lang: str) -> list[str]:
    if result.status == "error":
        return [t("grading.verify_template_error", lang, exercise=result.name, message=result.message)]
    violations = []
    for test in result.tests:
        if test.status == "pass":
            violations.append(t("grading.verify_template_passes", lang, exercise=result.name, test=test.name))
        elif test.failure_kind not in TODO_FAILURES:
            violations.append(
                t("grading.verify_template_wrong_failure", lang, exercise=result.name, test=test.name, message=test.message)
            )
    return violations


def verify_files(course: Course, *, lang: str | None = None) -> list[str]:
    """What is wrong without grading anything: missing or orphan files, tests not named in every language."""
    language = current_language(lang)
    return _missing_files(course, language) + _orphans(course, language) + _untranslated_tests(course, language)


def gradable(course: Course) -> list[str]:
    """The exercises whose template, solution and tests all exist: the ones verify grades."""
    return [
        exercise.name
        for exercise in course.exercises
        if exercise.template.is_file() and exercise.solution.is_file() and exercise.tests.is_file()
    ]


def verify_grades(solutions: Report, templates: Report, *, lang: str | None = None) -> list[str]:
    """Every solution passes and every template fails at its TODO, from the two gradings of :func:`gradable`."""
    language = current_language(lang)
    violations = []
    for solved, template in zip(solutions.exercises, templates.exercises, strict=True):
        violations += _solution_violations(solved, language)
        violations += _template_violations(template, language)
    return violations


def verify_course(course: Course, *, lang: str | None = None, jobs: int = DEFAULT_JOBS) -> list[str]:
    """Every way the course is inconsistent, one readable line each; empty when all is well."""
    language = current_language(lang)
    violations = verify_files(course, lang=language)
    if names := gradable(course):
        solutions = grade(course, names, "solutions", lang=language, jobs=jobs)
        templates = grade(course, names, "exercises", lang=language, jobs=jobs)
        violations += verify_grades(solutions, templates, lang=language)
    return violations

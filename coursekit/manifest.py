"""The course manifest: ``course.toml``, the one ordered list of days and exercises.

The grader, the CLI and the docs all read the course from here and nowhere else, so adding an
exercise is one ``[[exercises]]`` entry plus its three files. File paths are derived from the
exercise name ``"<day>/<stem>"`` and never listed, so they cannot drift apart:

* template ``exercises/<day>/<stem>.py``
* solution ``solutions/<day>/<stem>.py``
* tests ``tests/exercises/<day>/test_<stem>.py``

:func:`load_course` checks the whole file and reports every problem at once (in the reader's
language), because a teacher fixing a manifest wants the full list, not one error per run.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coursekit.i18n import LANGUAGES, current_language, t
from coursekit.limits import Limits

#: The repository root: coursekit is installed editable, so the package sits in the repo.
REPO_ROOT = Path(__file__).resolve().parent.parent
MANIFEST_NAME = "course.toml"
#: Seconds of CPU an exercise's tests may use: code that spins is stopped by this one.
DEFAULT_CPU_LIMIT = 10.0
#: Seconds an exercise's tests may take on the clock: generous, for code that waits, so that a
#: busy machine never turns a right answer into a timeout.
DEFAULT_WALL_LIMIT = 60.0
SCORINGS = ("tasks", "all_or_nothing")

Texts = Mapping[str, str]
"""One text in every course language: ``{"en": ..., "pt": ..., "id": ...}``."""

_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")
_COURSE_KEYS = {"title", "cpu_limit", "wall_limit"}
_DAY_KEYS = {"slug", "title"}
_EXERCISE_KEYS = {"name", "points", "cpu_limit", "wall_limit", "scoring", "title", "task", "hint", "more"}
_OPTIONAL_EXERCISE_KEYS = {"cpu_limit", "wall_limit", "scoring"}


def localized(texts: Texts, lang: str | None = None) -> str:
    """The text in ``lang`` (or the reader's current language)."""
    return texts[current_language(lang)]


@dataclass(frozen=True)
class Day:
    """One day of the course: a folder name under exercises/, solutions/ and tests/exercises/."""

    slug: str
    title: Texts


@dataclass(frozen=True)
class Exercise:
    """One graded exercise. Its files live at paths derived from ``name``."""

    name: str
    day: str
    stem: str
    points: int
    limits: Limits
    title: Texts
    hint: Texts
    """The first hint: names the concept, and the mistake a failing check usually means."""
    root: Path
    all_or_nothing: bool = False
    """Points only when every test passes, instead of split over the exercise's tasks."""
    task: Texts = field(default_factory=dict)
    """The task statement, what ``coursekit task`` prints."""
    more: Texts = field(default_factory=dict)
    """The second hint, the code-level step (``coursekit hint --more``)."""

    def file_in(self, target: Path) -> Path:
        """This exercise's module inside a target root (exercises/, solutions/ or a student's folder)."""
        return target / self.day / f"{self.stem}.py"

    @property
    def template(self) -> Path:
        return self.file_in(self.root / "exercises")

    @property
    def solution(self) -> Path:
        return self.file_in(self.root / "solutions")

    @property
    def tests(self) -> Path:
        return self.root / "tests" / "exercises" / self.day / f"test_{self.stem}.py"


class CourseError(ValueError):
    """course.toml is missing or wrong; ``problems`` lists every mistake found."""

    def __init__(self, path: Path, problems: list[tuple[str, dict[str, Any]]]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(self.describe())

    def describe(self, lang: str | None = None) -> str:
        header = t("grading.manifest_invalid", lang, path=self.path, count=len(self.problems))
        lines = [t(f"grading.{key}", lang, **values) for key, values in self.problems]
        return "\n".join([header, *(f"  - {line}" for line in lines)])


class UnknownExerciseError(LookupError):
    """No exercise matches what was asked for; ``suggestion`` is the closest name, if any."""

    def __init__(self, query: str, suggestion: str | None) -> None:
        self.query = query
        self.suggestion = suggestion
        super().__init__(self.describe())

    def describe(self, lang: str | None = None) -> str:
        message = t("grading.unknown_exercise", lang, query=self.query)
        if self.suggestion:
            message += " " + t("grading.did_you_mean", lang, suggestion=self.suggestion)
        return message


@dataclass(frozen=True)
class Course:
    """The whole course, in manifest order."""

    root: Path
    title: Texts
    limits: Limits
    days: tuple[Day, ...]
    exercises: tuple[Exercise, ...]

    @property
    def templates(self) -> Path:
        return self.root / "exercises"

    @property
    def solutions(self) -> Path:
        return self.root / "solutions"

    def exercise(self, name: str) -> Exercise:
        """The exercise called exactly ``name`` (``"day1_stream/ex01_print_stream"``)."""
        for exercise in self.exercises:
            if exercise.name == name:
                return exercise
        raise UnknownExerciseError(name, self.suggest(name))

    def exercises_of(self, day: str) -> list[Exercise]:
        return [exercise for exercise in self.exercises if exercise.day == day]

    def select(self, query: str) -> list[Exercise]:
        """Exercises matching what a student typed, in course order.

        Accepts an exact name, a day slug, a prefix of a stem or a name (``"ex01"``,
        ``"day1"``) and a path such as ``exercises/day1_stream/ex01_print_stream.py``.
        Raises :class:`UnknownExerciseError`, with a close match, when nothing matches.
        """
        wanted = _normalize_query(query)
        if any(day.slug == wanted for day in self.days):
            return self.exercises_of(wanted)
        exact = [exercise for exercise in self.exercises if exercise.name == wanted]
        if exact:
            return exact
        matches = [ex for ex in self.exercises if ex.stem.startswith(wanted) or ex.name.startswith(wanted)]
        if not matches or not wanted:
            raise UnknownExerciseError(query, self.suggest(wanted))
        return matches

    def select_all(self, queries: Iterable[str] | None) -> list[Exercise]:
        """The union of :meth:`select` over ``queries`` in course order; all exercises for None."""
        if queries is None:
            return list(self.exercises)
        chosen = {exercise.name for query in queries for exercise in self.select(query)}
        return [exercise for exercise in self.exercises if exercise.name in chosen]

    def suggest(self, query: str) -> str | None:
        """The closest exercise name, stem or day slug to a mistyped ``query``."""
        candidates = [day.slug for day in self.days]
        candidates += [name for exercise in self.exercises for name in (exercise.name, exercise.stem)]
        close = difflib.get_close_matches(query, candidates, n=1, cutoff=0.6)
        return close[0] if close else None


def _normalize_query(query: str) -> str:
    """``exercises/day1_stream/ex01_x.py`` or ``day1_stream\\ex01_x`` -> ``day1_stream/ex01_x``."""
    parts = [part for part in query.strip().replace("\\", "/").split("/") if part]
    if parts:
        parts[-1] = parts[-1].removesuffix(".py").removeprefix("test_")
    return "/".join(parts[-2:])


def load_course(root: str | os.PathLike[str] = REPO_ROOT) -> Course:
    """Read and check ``<root>/course.toml``; raise :class:`CourseError` listing every problem."""
    root = Path(root)
    path = root / MANIFEST_NAME
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CourseError(path, [("manifest_missing", {"path": path})]) from None
    except tomllib.TOMLDecodeError as error:
        raise CourseError(path, [("manifest_syntax", {"detail": str(error)})]) from None
    checker = _Checker()
    course = checker.course(data, root.resolve())
    if checker.problems:
        raise CourseError(path, checker.problems)
    return course


class _Checker:
    """Builds a :class:`Course` from parsed TOML while collecting every problem it meets."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, dict[str, Any]]] = []

    def problem(self, key: str, **values: Any) -> None:
        self.problems.append((key, values))

    def course(self, data: dict[str, Any], root: Path) -> Course:
        header = self.table(data.get("course"), "[course]", _COURSE_KEYS, required={"title"})
        defaults = self.limits(header, Limits(DEFAULT_CPU_LIMIT, DEFAULT_WALL_LIMIT), "[course]")
        title = self.texts(header, "title", "[course]")
        days = self.days(data.get("days", []))
        exercises = self.exercises(data.get("exercises", []), days, defaults, root)
        for key in sorted(set(data) - {"course", "days", "exercises"}):
            self.problem("manifest_unknown_field", where="course.toml", field=key, expected="course, days, exercises")
        return Course(root, title, defaults, tuple(days), tuple(exercises))

    def table(self, value: Any, where: str, allowed: set[str], required: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.problem("manifest_missing_field", where="course.toml", field=where)
            return {}
        for key in sorted(set(value) - allowed):
            self.problem("manifest_unknown_field", where=where, field=key, expected=", ".join(sorted(allowed)))
        for key in sorted(required - set(value)):
            self.problem("manifest_missing_field", where=where, field=key)
        return value

    def texts(self, table: dict[str, Any], field: str, where: str) -> Texts:
        value = table.get(field)
        if field not in table:
            return {}  # already reported as a missing field
        if not isinstance(value, dict):
            self.problem("manifest_bad_texts", where=where, field=field)
            return {}
        missing = [lang for lang in LANGUAGES if not (isinstance(value.get(lang), str) and value[lang].strip())]
        if missing:
            self.problem("manifest_missing_language", where=where, field=field, languages=", ".join(missing))
        return dict(value)

    def seconds(self, value: Any, where: str, field: str, default: float) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            self.problem("manifest_bad_seconds", where=where, field=field, value=value)
            return default
        return float(value)

    def limits(self, table: dict[str, Any], defaults: Limits, where: str) -> Limits:
        cpu = self.seconds(table.get("cpu_limit", defaults.cpu), where, "cpu_limit", defaults.cpu)
        wall = self.seconds(table.get("wall_limit", defaults.wall), where, "wall_limit", defaults.wall)
        return Limits(cpu, wall)

    def days(self, entries: Any) -> list[Day]:
        days: list[Day] = []
        for number, entry in enumerate(entries if isinstance(entries, list) else [], start=1):
            where = f"[[days]] #{number}"
            table = self.table(entry, where, _DAY_KEYS, required=_DAY_KEYS)
            slug = table.get("slug")
            if "slug" in table and not (isinstance(slug, str) and _IDENTIFIER.match(slug)):
                self.problem("manifest_bad_slug", where=where, value=slug)
            elif any(day.slug == slug for day in days):
                self.problem("manifest_duplicate", where=where, value=slug)
            elif isinstance(slug, str):
                days.append(Day(slug, self.texts(table, "title", where)))
        return days

    def exercises(self, entries: Any, days: list[Day], defaults: Limits, root: Path) -> list[Exercise]:
        order = {day.slug: position for position, day in enumerate(days)}
        exercises: list[Exercise] = []
        for number, entry in enumerate(entries if isinstance(entries, list) else [], start=1):
            table = self.table(entry, f"[[exercises]] #{number}", _EXERCISE_KEYS, required=_EXERCISE_KEYS - _OPTIONAL_EXERCISE_KEYS)
            name = table.get("name")
            where = f"[[exercises]] '{name}'" if isinstance(name, str) else f"[[exercises]] #{number}"
            title = self.texts(table, "title", where)
            hint = self.texts(table, "hint", where)
            task = self.texts(table, "task", where)
            more = self.texts(table, "more", where)
            points = table.get("points", 0)
            if "points" in table and (isinstance(points, bool) or not isinstance(points, int) or points <= 0):
                self.problem("manifest_bad_points", where=where, value=points)
            limits = self.limits(table, defaults, where)
            scoring = table.get("scoring", "tasks")
            if scoring not in SCORINGS:
                self.problem("manifest_bad_scoring", where=where, value=scoring, expected=", ".join(SCORINGS))
            day, _, stem = name.partition("/") if isinstance(name, str) else ("", "", "")
            if "name" not in table:
                continue
            if not (_IDENTIFIER.match(day) and _IDENTIFIER.match(stem)):
                self.problem("manifest_bad_name", where=where, name=name)
            elif day not in order:
                self.problem("manifest_unknown_day", where=where, day=day)
            elif any(other.name == name for other in exercises):
                self.problem("manifest_duplicate", where=where, value=name)
            elif clash := next((other for other in exercises if other.stem == stem), None):
                self.problem("manifest_duplicate_stem", where=where, stem=stem, other=clash.name)
            elif exercises and order[day] < order[exercises[-1].day]:
                self.problem("manifest_out_of_order", where=where, day=day, previous=exercises[-1].name)
            else:
                exercises.append(Exercise(name, day, stem, points, limits, title, hint, root, scoring == "all_or_nothing",
                                          {lang: text.strip() for lang, text in task.items()}, more))
        return exercises

"""course.toml: the one ordered list of the course, checked in full and looked up as students type."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from coursekit.limits import Limits
from coursekit.manifest import REPO_ROOT, Course, CourseError, UnknownExerciseError, load_course

TEXTS = '{ en = "x", pt = "x", id = "x" }'
HEADER = f"""
[course]
title = {TEXTS}

[[days]]
slug = "day1_a"
title = {TEXTS}

[[days]]
slug = "day2_b"
title = {TEXTS}
"""


def exercise_entry(name: str, extra: str = "", points: str = "5", hint: str = TEXTS) -> str:
    return f"""
[[exercises]]
name = "{name}"
points = {points}
title = {TEXTS}
task = {TEXTS}
hint = {hint}
more = {TEXTS}
{extra}
"""


def load_text(tmp_path: Path, text: str) -> Course:
    (tmp_path / "course.toml").write_text(textwrap.dedent(text), encoding="utf-8")
    return load_course(tmp_path)


def problems_of(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(CourseError) as raised:
        load_text(tmp_path, text)
    return [key for key, _ in raised.value.problems]


def test_the_real_course_has_its_six_days_in_order() -> None:
    course = load_course()
    assert course.root == REPO_ROOT
    assert [day.slug for day in course.days] == [
        "day1_stream",
        "day2_callbacks",
        "day3_sse",
        "day4_events",
        "day5_json",
        "day6_router",
    ]
    assert all(set(day.title) == {"en", "pt", "id"} for day in course.days)


def test_paths_are_derived_from_the_name(mini_course: Course) -> None:
    exercise = mini_course.exercise("day1_basics/ex02_shout")
    root = mini_course.root
    assert exercise.template == root / "exercises" / "day1_basics" / "ex02_shout.py"
    assert exercise.solution == root / "solutions" / "day1_basics" / "ex02_shout.py"
    assert exercise.tests == root / "tests" / "exercises" / "day1_basics" / "test_ex02_shout.py"
    assert exercise.file_in(Path("/tmp/alice")) == Path("/tmp/alice/day1_basics/ex02_shout.py")


def test_limits_default_to_the_course_values(mini_course: Course) -> None:
    assert mini_course.exercise("day1_basics/ex01_add").limits == Limits(cpu=2, wall=30)
    assert mini_course.exercise("day1_basics/ex02_shout").limits == mini_course.limits == Limits(cpu=5, wall=20)


def test_scoring_follows_the_tasks_unless_all_or_nothing(tmp_path: Path) -> None:
    course = load_text(tmp_path, HEADER + exercise_entry("day1_a/ex01_x") + exercise_entry("day1_a/ex02_y", extra='scoring = "all_or_nothing"'))
    assert [exercise.all_or_nothing for exercise in course.exercises] == [False, True]


def test_exercises_keep_file_order(tmp_path: Path) -> None:
    course = load_text(tmp_path, HEADER + exercise_entry("day1_a/ex02_z") + exercise_entry("day1_a/ex01_y"))
    assert [exercise.name for exercise in course.exercises] == ["day1_a/ex02_z", "day1_a/ex01_y"]


@pytest.mark.parametrize(
    ("entries", "problem"),
    [
        (exercise_entry("day1_a/ex01_x") + exercise_entry("day1_a/ex01_x"), "manifest_duplicate"),
        (exercise_entry("day9_z/ex01_x"), "manifest_unknown_day"),
        (exercise_entry("day1_a/ex01_x", hint='{ en = "x", pt = "x" }'), "manifest_missing_language"),
        (exercise_entry("day1_a/ex01_x", hint='{ en = "x", pt = "x", id = "  " }'), "manifest_missing_language"),
        (exercise_entry("day1_a/ex01_x", points="0"), "manifest_bad_points"),
        (exercise_entry("day1_a/ex01_x", points='"ten"'), "manifest_bad_points"),
        (exercise_entry("day1_a/ex01_x", points="true"), "manifest_bad_points"),
        (exercise_entry("day1_a/ex01_x", extra="cpu_limit = -1"), "manifest_bad_seconds"),
        (exercise_entry("day1_a/ex01_x", extra='wall_limit = "long"'), "manifest_bad_seconds"),
        (exercise_entry("day1_a/ex01_x", extra='scoring = "best"'), "manifest_bad_scoring"),
        (exercise_entry("day1_a/ex01_x", extra='hints = "typo"'), "manifest_unknown_field"),
        (exercise_entry("ex01_x"), "manifest_bad_name"),
        (exercise_entry("day1_a/ex01-x"), "manifest_bad_name"),
        (exercise_entry("day1_a/ex01_x") + exercise_entry("day2_b/ex01_x"), "manifest_duplicate_stem"),
        (exercise_entry("day2_b/ex01_x") + exercise_entry("day1_a/ex02_y"), "manifest_out_of_order"),
    ],
)
def test_each_mistake_is_reported(tmp_path: Path, entries: str, problem: str) -> None:
    assert problems_of(tmp_path, HEADER + entries) == [problem]


def test_missing_fields_are_named(tmp_path: Path) -> None:
    with pytest.raises(CourseError) as raised:
        load_text(tmp_path, HEADER + '[[exercises]]\nname = "day1_a/ex01_x"\n')
    assert [values["field"] for _, values in raised.value.problems] == ["hint", "more", "points", "task", "title"]


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    text = HEADER + exercise_entry("day9_z/ex01_x") + exercise_entry("day1_a/ex02_y", points="-3")
    problems = problems_of(tmp_path, text)
    assert problems == ["manifest_unknown_day", "manifest_bad_points"]


def test_errors_speak_the_readers_language(tmp_path: Path) -> None:
    with pytest.raises(CourseError) as raised:
        load_text(tmp_path, HEADER + exercise_entry("day9_z/ex01_x"))
    assert "day9_z" in raised.value.describe("pt") and "não está entre os [[days]]" in raised.value.describe("pt")
    assert "tidak termasuk dalam [[days]]" in raised.value.describe("id")


def test_missing_and_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(CourseError) as raised:
        load_course(tmp_path)
    assert [key for key, _ in raised.value.problems] == ["manifest_missing"]
    assert problems_of(tmp_path, "[course\n") == ["manifest_syntax"]
    assert problems_of(tmp_path, f'[[days]]\nslug = "day1_a"\ntitle = {TEXTS}\n') == ["manifest_missing_field"]


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("day1_basics/ex02_shout", ["day1_basics/ex02_shout"]),
        ("ex02", ["day1_basics/ex02_shout"]),
        ("ex04_average", ["day1_basics/ex04_average"]),
        ("day2_async", ["day2_async/ex03_countdown", "day2_async/ex05_echo_words"]),
        ("day1", ["day1_basics/ex01_add", "day1_basics/ex02_shout", "day1_basics/ex04_average"]),
        ("exercises/day1_basics/ex02_shout.py", ["day1_basics/ex02_shout"]),
        ("tests\\exercises\\day2_async\\test_ex05_echo_words.py", ["day2_async/ex05_echo_words"]),
    ],
)
def test_select_accepts_what_students_type(mini_course: Course, query: str, names: list[str]) -> None:
    assert [exercise.name for exercise in mini_course.select(query)] == names


@pytest.mark.parametrize(("query", "suggestion"), [("ex02_shuot", "ex02_shout"), ("day2_asnyc", "day2_async"), ("zzz", None)])
def test_unknown_names_come_with_a_close_match(mini_course: Course, query: str, suggestion: str | None) -> None:
    with pytest.raises(UnknownExerciseError) as raised:
        mini_course.select(query)
    assert raised.value.suggestion == suggestion
    assert (suggestion or "There is no exercise") in str(raised.value.describe("en"))


def test_exact_lookup_does_not_guess(mini_course: Course) -> None:
    with pytest.raises(UnknownExerciseError):
        mini_course.exercise("ex02")


def test_select_all_keeps_course_order_without_duplicates(mini_course: Course) -> None:
    chosen = mini_course.select_all(["ex04", "ex01", "day1_basics/ex01_add"])
    assert [exercise.name for exercise in chosen] == ["day1_basics/ex01_add", "day1_basics/ex04_average"]
    assert mini_course.select_all(None) == list(mini_course.exercises)

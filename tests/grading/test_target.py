"""The ``exercise`` fixture's machinery: which folder, which file, a fresh module every time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from coursekit.grading.child import PYTEST_PLUGINS
from coursekit.grading.target import ExerciseLoadError, exercise_name_for, load_exercise, resolve_target

MINI = Path(__file__).parent / "fixtures" / "mini"


def write_exercise(target: Path, source: str, name: str = "day1_x/ex01_y") -> Path:
    path = target / f"{name}.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")
    return path


def test_target_words_name_the_course_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_target("solutions", tmp_path) == tmp_path / "solutions"
    assert resolve_target("exercises", tmp_path) == tmp_path / "exercises"
    monkeypatch.chdir(tmp_path)
    assert resolve_target("students/alice", Path("/elsewhere")) == tmp_path / "students" / "alice"


def test_exercise_name_comes_from_the_test_path() -> None:
    assert exercise_name_for(Path("tests/exercises/day1_stream/test_ex01_print_stream.py")) == "day1_stream/ex01_print_stream"


def test_each_load_is_a_new_module_registered_under_its_own_name(tmp_path: Path) -> None:
    write_exercise(tmp_path, "counter = []\n")
    first, second = load_exercise(tmp_path, "day1_x/ex01_y"), load_exercise(tmp_path, "day1_x/ex01_y")
    first.counter.append(1)
    assert second.counter == []
    assert first.__name__ != second.__name__
    assert sys.modules[first.__name__] is first


def test_an_edit_within_the_same_second_is_seen(tmp_path: Path) -> None:
    """A same-size edit keeping the mtime second would fool a bytecode cache; the loader has none."""
    path = write_exercise(tmp_path, "ANSWER = 1\n")
    stamp = path.stat().st_mtime_ns
    assert load_exercise(tmp_path, "day1_x/ex01_y").ANSWER == 1
    path.write_text("ANSWER = 2\n", encoding="utf-8")
    os.utime(path, ns=(stamp, stamp))
    assert load_exercise(tmp_path, "day1_x/ex01_y").ANSWER == 2
    assert not list(tmp_path.rglob("__pycache__"))


@pytest.mark.parametrize(
    ("source", "kind", "details"),
    [
        (None, "missing", {}),
        ("def broken(:\n", "syntax", {"line": 1}),
        ("import no_such_module_anywhere\n", "import", {"detail": "ModuleNotFoundError: No module named 'no_such_module_anywhere'"}),
        ("raise SystemExit(4)\n", "exit", {"code": 4}),
    ],
)
def test_files_that_cannot_run_raise_a_load_error(tmp_path: Path, source: str | None, kind: str, details: dict) -> None:
    if source is not None:
        write_exercise(tmp_path, source)
    modules_before = set(sys.modules)
    with pytest.raises(ExerciseLoadError) as raised:
        load_exercise(tmp_path, "day1_x/ex01_y")
    assert raised.value.kind == kind
    assert details.items() <= raised.value.details.items()
    assert f"{tmp_path.name}/day1_x/ex01_y.py" in raised.value.describe("id")
    assert not [name for name in set(sys.modules) - modules_before if name.startswith("_graded_")]


def run_mini_pytest(*options: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """A plain ``pytest`` in the mini course (only the plugins its config needs, for speed)."""
    plugins = [argument for plugin in PYTEST_PLUGINS for argument in ("-p", plugin.__name__)]
    command = [sys.executable, "-m", "pytest", "-q", *plugins, "tests/exercises", *options]
    inherited = {name: value for name, value in os.environ.items() if name != "COURSE_TARGET"}  # make test sets it
    environment = {**inherited, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", **(env or {})}
    return subprocess.run(command, cwd=MINI, env=environment, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_plain_pytest_checks_the_students_exercises() -> None:
    run = run_mini_pytest()
    assert run.returncode == 1, run.stdout + run.stderr
    assert "11 failed" in run.stdout and "NotImplementedError: TODO: add a and b" in run.stdout


@pytest.mark.slow
def test_one_day_folder_takes_the_target_option() -> None:
    """The issue's command: a day's folder, then --target and its value as two arguments."""
    run = run_mini_pytest("tests/exercises/day1_basics", "--target", "solutions")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "passed" in run.stdout and "failed" not in run.stdout


@pytest.mark.slow
@pytest.mark.parametrize("how", ["option", "environment"])
def test_the_target_can_be_chosen(how: str) -> None:
    run = run_mini_pytest("--target", "solutions") if how == "option" else run_mini_pytest(env={"COURSE_TARGET": "solutions"})
    assert run.returncode == 0, run.stdout + run.stderr
    assert "11 passed" in run.stdout

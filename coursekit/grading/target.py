"""Which module a graded test exercises: the same test grades a template, a solution or a submission.

This module is also a pytest plugin, loaded by ``-p coursekit.grading.target`` in the course's
pytest configuration: it adds ``--target``, the ``task`` marker and the ``exercise`` fixture,
so ``pytest tests/exercises/day1_stream --target solutions`` works from anywhere. As FastAPI's
``tests/test_tutorial`` import ``docs_src``, the ``exercise`` fixture imports
``<target>/<day>/<stem>.py`` with importlib, under a fresh unique module name per test module,
so the template, the solution and a student's file never share ``sys.modules`` entries.

The target root comes from, in order: the ``--target`` option (a path, or the words
``solutions`` / ``exercises``), the ``COURSE_TARGET`` environment variable, and finally the
course's ``exercises/`` folder, so that a student's plain ``pytest`` checks their own work.
The course's own suite (``make test``) passes ``--target=solutions``.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import itertools
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from coursekit.i18n import t

TARGET_ENV = "COURSE_TARGET"
TARGET_WORDS = ("solutions", "exercises")
DEFAULT_TARGET = "exercises"

_module_numbers = itertools.count(1)


class ExerciseLoadError(Exception):
    """The exercise file is missing or cannot be imported; tests cannot even start.

    ``kind`` is ``missing``, ``syntax``, ``import`` or ``exit``; :meth:`describe` gives the
    one-line reason in a student's language.
    """

    def __init__(self, kind: str, path: Path, shown_path: str, **details: object) -> None:
        self.kind = kind
        self.path = path
        self.shown_path = shown_path
        self.details = details
        super().__init__(self.describe("en"))

    def describe(self, lang: str | None = None) -> str:
        key = {"missing": "missing_file", "syntax": "syntax_error", "import": "import_error", "exit": "exit_on_import"}
        return t(f"grading.{key[self.kind]}", lang, path=self.shown_path, **self.details)


def resolve_target(value: str | os.PathLike[str], root: Path) -> Path:
    """``"solutions"`` / ``"exercises"`` name the course's own folders; anything else is a path."""
    if str(value) in TARGET_WORDS:
        return root / str(value)
    return Path(value).expanduser().resolve()


def exercise_name_for(test_file: Path) -> str:
    """``tests/exercises/day1_stream/test_ex01_x.py`` -> ``"day1_stream/ex01_x"``."""
    return f"{test_file.parent.name}/{test_file.stem.removeprefix('test_')}"


class _FreshSourceLoader(importlib.machinery.SourceFileLoader):
    """Compiles from source every time and writes no ``__pycache__`` into the target.

    A bytecode cache is keyed on the file's mtime in whole seconds and its size, so an edit
    made within the same second that keeps the size (``return 1`` -> ``return 2``) would be
    graded as the old code. Students save and re-check that fast.
    """

    def get_code(self, fullname: str):  # type: ignore[override]
        path = self.get_filename(fullname)
        return self.source_to_code(self.get_data(path), path)


def load_exercise(target: Path, name: str) -> ModuleType:
    """Import ``<target>/<name>.py`` as a new module; raise :class:`ExerciseLoadError` if it cannot run."""
    day, _, stem = name.partition("/")
    path = target / day / f"{stem}.py"
    shown = f"{target.name}/{day}/{stem}.py"
    if not path.is_file():
        raise ExerciseLoadError("missing", path, shown)
    module_name = f"_graded_{day}_{stem}_{next(_module_numbers)}"
    loader = _FreshSourceLoader(module_name, str(path))
    spec = importlib.util.spec_from_file_location(module_name, path, loader=loader)
    assert spec is not None  # a .py path with an explicit loader always has a spec
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses, pydantic and pickle look the module up here
    try:
        loader.exec_module(module)
    except (Exception, SystemExit) as error:
        sys.modules.pop(module_name, None)
        raise _load_error(error, path, shown) from error
    return module


def _load_error(error: BaseException, path: Path, shown: str) -> ExerciseLoadError:
    if isinstance(error, SyntaxError):
        return ExerciseLoadError("syntax", path, shown, line=error.lineno, detail=error.msg)
    if isinstance(error, SystemExit):
        return ExerciseLoadError("exit", path, shown, code=error.code)
    return ExerciseLoadError("import", path, shown, detail=f"{type(error).__name__}: {error}")


def target_root(config: pytest.Config) -> Path:
    """The folder whose modules the exercise tests import (see the module docstring)."""
    value = config.getoption("target", default=None) or os.environ.get(TARGET_ENV) or DEFAULT_TARGET
    return resolve_target(value, config.rootpath)


# --- The pytest plugin: loaded before any conftest, so the option is known however pytest starts. ---


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--target",
        help="folder whose exercise modules the tests import: 'exercises' (default), 'solutions' or a path",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "task(n): the task number of the exercise this test checks")


@pytest.fixture(scope="module")
def exercise(request: pytest.FixtureRequest) -> Iterator[ModuleType]:
    """The exercise module this test file grades, freshly imported from the target root."""
    module = load_exercise(target_root(request.config), exercise_name_for(request.path))
    yield module
    sys.modules.pop(module.__name__, None)

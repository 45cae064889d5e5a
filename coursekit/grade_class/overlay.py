"""The course as a class is graded: its tests plus the instructor's own, under the class's limits.

``grade-class`` never grades against the working tree itself. It first copies what grading
reads (``course.toml``, ``pyproject.toml``, ``tests/conftest.py`` and ``tests/exercises/``) into
a private folder, the *grading root*, so that nothing changes under a run that takes an hour, and
so that two things can differ from what students see:

* ``--tests DIR``, laid out like ``tests/exercises/`` (``DIR/<day>/test_<stem>.py``): each file is
  added to that exercise's visible tests; a test function with the name of a visible one replaces
  it; a file whose first line is ``# coursekit: replace`` replaces the visible file altogether.
  The instructor's tests are *hidden*; every report marks which results came from them.
* ``--cpu-limit`` / ``--wall-limit`` cap every exercise's limits (never raise them).

Nothing else of the course is copied: solutions, corpus and history are not in the grading root.
"""

from __future__ import annotations

import ast
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from coursekit.grading.names import name_in
from coursekit.grading.plugin import humanize
from coursekit.manifest import MANIFEST_NAME, Course, load_course

REPLACE_MARK = "# coursekit: replace"
COPIED = (MANIFEST_NAME, "pyproject.toml", "tests/conftest.py")
_LIMIT_LINE = re.compile(r"^(cpu_limit|wall_limit)\s*=.*$\n?", re.MULTILINE)


class InstructorTestsError(ValueError):
    """A file in ``--tests DIR`` names no exercise of the course, or does not parse."""

    def __init__(self, path: Path, kind: str) -> None:
        self.path = path
        self.kind = kind
        super().__init__(f"{kind}: {path}")


@dataclass
class HiddenTests:
    """Which tests of one exercise are the instructor's: by function, and whether all are."""

    functions: list[tuple[str, str | None]] = field(default_factory=list)
    """(function name, docstring) of each instructor test."""
    replaces: bool = False

    def is_hidden(self, shown_name: str, lang: str) -> bool:
        """Whether the result named ``shown_name`` (in ``lang``) came from the instructor's file."""
        if self.replaces:
            return True
        for function, doc in self.functions:
            base = name_in(doc, lang) or humanize(function)
            if shown_name == base or shown_name.startswith(f"{base} ["):
                return True
        return False


@dataclass
class GradingRoot:
    """The copied course a class is graded against."""

    course: Course
    hidden: dict[str, HiddenTests]
    """Exercise name -> its instructor tests (only exercises that have some)."""

    def visibility(self, exercise: str, test_name: str, lang: str) -> str:
        hidden = self.hidden.get(exercise)
        return "hidden" if hidden is not None and hidden.is_hidden(test_name, lang) else "visible"


def build(course: Course, destination: Path, *, tests: Path | None = None, cpu_cap: float | None = None,
          wall_cap: float | None = None) -> GradingRoot:
    """Copy the course's grading files to ``destination``, merge ``tests``, cap the limits; load it."""
    for name in COPIED:
        source = course.root / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    shutil.copytree(course.root / "tests" / "exercises", destination / "tests" / "exercises",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    _cap_limits(course, destination / MANIFEST_NAME, cpu_cap, wall_cap)
    hidden = _merge_tests(course, destination, tests) if tests is not None else {}
    return GradingRoot(load_course(destination), hidden)


def _cap_limits(course: Course, manifest: Path, cpu_cap: float | None, wall_cap: float | None) -> None:
    """Rewrite every exercise's limits as ``min(its own, cap)``; the course's defaults likewise."""
    if cpu_cap is None and wall_cap is None:
        return
    text = _LIMIT_LINE.sub("", manifest.read_text(encoding="utf-8"))

    def capped(cpu: float, wall: float) -> str:
        cpu = min(cpu, cpu_cap) if cpu_cap is not None else cpu
        wall = min(wall, wall_cap) if wall_cap is not None else wall
        return f"cpu_limit = {cpu:g}\nwall_limit = {wall:g}\n"

    text, found = re.subn(r"^\[course\]\s*\n", lambda match: match.group(0) + capped(course.limits.cpu, course.limits.wall),
                          text, count=1, flags=re.MULTILINE)
    if found != 1:
        raise ValueError(f"cannot cap the limits of the course in {manifest}")
    for exercise in course.exercises:
        entry = re.compile(rf'^name\s*=\s*"{re.escape(exercise.name)}"\s*\n', re.MULTILINE)
        text, found = entry.subn(lambda match: match.group(0) + capped(exercise.limits.cpu, exercise.limits.wall), text)
        if found != 1:
            raise ValueError(f"cannot cap the limits of {exercise.name} in {manifest}")
    manifest.write_text(text, encoding="utf-8")


def _merge_tests(course: Course, destination: Path, tests: Path) -> dict[str, HiddenTests]:
    known = {(exercise.day, f"test_{exercise.stem}.py"): exercise for exercise in course.exercises}
    hidden: dict[str, HiddenTests] = {}
    for path in sorted(tests.rglob("test_*.py")):
        relative = path.relative_to(tests)
        exercise = known.get((relative.parent.as_posix(), relative.name))
        if exercise is None:
            raise InstructorTestsError(path, "unknown")
        source = path.read_text(encoding="utf-8")
        try:
            tree = ast.parse(source, filename=str(path))
        except SyntaxError:
            raise InstructorTestsError(path, "syntax") from None
        replaces = source.lstrip().startswith(REPLACE_MARK)
        graded = destination / "tests" / "exercises" / exercise.day / relative.name
        visible = graded.read_text(encoding="utf-8") if graded.is_file() else ""
        graded.write_text(source if replaces else merged(visible, source), encoding="utf-8")
        hidden[exercise.name] = HiddenTests(_test_functions(tree), replaces)
    return hidden


def merged(visible: str, added: str) -> str:
    """One test module: the visible tests, then the added ones (a later ``def`` of the same name wins).

    ``from __future__`` imports must open a module, so those of both go first.
    """
    futures: list[str] = []
    bodies = []
    for source in (visible, added):
        lines = source.splitlines(keepends=True)
        tree = ast.parse(source)
        drop: set[int] = set()
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.module == "__future__":
                futures.append(ast.unparse(node) + "\n")
                drop.update(range(node.lineno - 1, (node.end_lineno or node.lineno)))
        bodies.append("".join(line for number, line in enumerate(lines) if number not in drop))
    head = "".join(dict.fromkeys(futures))
    return f"{head}{bodies[0]}\n\n# --- The instructor's tests (hidden from students) ---\n\n{bodies[1]}"


def _test_functions(tree: ast.Module) -> list[tuple[str, str | None]]:
    found = []
    for node in tree.body:
        nodes = node.body if isinstance(node, ast.ClassDef) and node.name.startswith("Test") else [node]
        for item in nodes:
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name.startswith("test"):
                found.append((item.name, ast.get_docstring(item, clean=False)))
    return found

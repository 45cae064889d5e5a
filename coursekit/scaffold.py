"""``coursekit new <day>/<stem>``: the files of a new exercise, ready to fill in.

It writes the template (a docstring, a ``TODO`` and ``NotImplementedError``), the solution, the
test (named in three languages), the corpus folder and the manifest entry after the last
exercise of its day, every text marked ``TODO`` for the author. Nothing is overwritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from coursekit.i18n import t
from coursekit.manifest import MANIFEST_NAME, Course

_NAME = re.compile(r"^(?P<day>[a-z][a-z0-9_]*)/(?P<stem>ex\d\d_[a-z0-9_]+)$")
_TEXTS = '{ en = "TODO", pt = "TODO", id = "TODO" }'


class ScaffoldError(ValueError):
    """The name is malformed, its day is not in the manifest, or its files already exist."""


@dataclass(frozen=True)
class NewExercise:
    name: str
    day: str
    stem: str

    @property
    def function(self) -> str:
        """``ex07_count_tokens`` -> ``count_tokens``: the function students write."""
        return self.stem.split("_", 1)[1]

    def template(self) -> str:
        return f'''"""Exercise {self.stem[2:4]}: TODO one line that names the skill.

TODO: the task, as ``coursekit task {self.stem}`` prints it (course.toml holds it in en, pt and id).
"""

from __future__ import annotations


def {self.function}():
    # TODO: write {self.function}.
    raise NotImplementedError("TODO: {self.function}")
'''

    def solution(self) -> str:
        return f'''"""Exercise {self.stem[2:4]}: the reference solution."""

from __future__ import annotations


def {self.function}():
    raise NotImplementedError("the reference solution of {self.name} is still to be written")
'''

    def test(self) -> str:
        return f'''"""Exercise {self.stem[2:4]}: TODO what these tests prove about {self.function}."""

from __future__ import annotations

import pytest


@pytest.mark.task(1)
def test_{self.function}(exercise):
    """TODO the test's name in English

    pt: TODO o nome do teste em português
    id: TODO nama tes dalam bahasa Indonesia
    """
    assert exercise.{self.function}() is not None
'''

    def entry(self) -> str:
        return (f'[[exercises]]\nname = "{self.name}"\npoints = 10\ntitle = {_TEXTS}\n'
                f'task = {_TEXTS}\nhint = {_TEXTS}\nmore = {_TEXTS}\n')


def parse(name: str, course: Course, lang: str) -> NewExercise:
    match = _NAME.match(name)
    if match is None:
        raise ScaffoldError(t("authoring.new_bad_name", lang, name=name))
    if match["day"] not in {day.slug for day in course.days}:
        raise ScaffoldError(t("authoring.new_unknown_day", lang, day=match["day"]))
    if any(exercise.name == name for exercise in course.exercises):
        raise ScaffoldError(t("authoring.new_exists", lang, name=name))
    return NewExercise(name, match["day"], match["stem"])


def _insert_entry(manifest: str, new: NewExercise, course: Course) -> str:
    """The manifest with the entry after its day's last exercise (or the last exercise before its day)."""
    order = [day.slug for day in course.days]
    earlier = [exercise for exercise in course.exercises if order.index(exercise.day) <= order.index(new.day)]
    if not earlier:
        return manifest.rstrip("\n") + "\n\n" + new.entry()
    marker = f'name = "{earlier[-1].name}"'
    start = manifest.index(marker)
    following = manifest.find("\n[[", start)
    cut = len(manifest) if following < 0 else following + 1
    before, after = manifest[:cut].rstrip("\n"), manifest[cut:]
    return before + "\n\n" + new.entry() + ("\n" + after if after else "")


def scaffold(name: str, course: Course, lang: str) -> list[Path]:
    """Write the new exercise's files and manifest entry; the paths written, manifest last."""
    new = parse(name, course, lang)
    files = {
        course.root / "exercises" / new.day / f"{new.stem}.py": new.template(),
        course.root / "solutions" / new.day / f"{new.stem}.py": new.solution(),
        course.root / "tests" / "exercises" / new.day / f"test_{new.stem}.py": new.test(),
    }
    if clash := next((path for path in files if path.exists()), None):
        raise ScaffoldError(t("authoring.new_file_exists", lang, path=clash.relative_to(course.root).as_posix()))
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    corpus = course.root / "tests" / "corpus" / new.day / new.stem
    corpus.mkdir(parents=True, exist_ok=True)
    manifest = course.root / MANIFEST_NAME
    manifest.write_text(_insert_entry(manifest.read_text(encoding="utf-8"), new, course), encoding="utf-8")
    return [*files, corpus, manifest]

"""The wrong-solution corpus: proof that each exercise's tests reject the mistakes students really make.

``tests/corpus/<day>/<stem>/`` holds, for every exercise, ``wrong_<mistake>.py`` files (plausible
wrong solutions whose docstring's first line names the mistake) and ``right_<style>.py`` files
(correct alternatives in another style). Every wrong one must fail, every right one must pass. The
files are graded like submissions, each in a folder of its own, all of them in one queue of
children forked from one warmed grader: the whole corpus costs one grading's start-up, and a slow
wrong solution holds up only its own slot.
"""

from __future__ import annotations

import ast
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from coursekit.grading.results import ExerciseResult
from coursekit.grading.runner import DEFAULT_JOBS, choose_start_method, run_pairs, warm_up
from coursekit.i18n import current_language, t
from coursekit.manifest import Course, Exercise

CORPUS = Path("tests") / "corpus"
MIN_WRONG = 3
MIN_RIGHT = 1


@dataclass(frozen=True)
class Sample:
    """One corpus file: a wrong or right solution of one exercise."""

    exercise: Exercise
    path: Path
    wrong: bool

    @property
    def mistake(self) -> str:
        """The docstring's first line: what the student got wrong (or the style of a right one)."""
        try:
            doc = ast.get_docstring(ast.parse(self.path.read_bytes())) or ""
        except SyntaxError:
            doc = ""
        return doc.strip().splitlines()[0] if doc.strip() else self.path.stem


@dataclass
class CorpusCheck:
    """What ``coursekit verify`` says of the corpus: counts, and one line per problem."""

    wrong: int = 0
    right: int = 0
    violations: list[str] = field(default_factory=list)


def samples(course: Course, exercise: Exercise) -> list[Sample]:
    folder = course.root / CORPUS / exercise.day / exercise.stem
    files = sorted(folder.glob("*.py")) if folder.is_dir() else []
    return [Sample(exercise, path, path.stem.startswith("wrong_")) for path in files
            if path.stem.startswith(("wrong_", "right_"))]


def _verdict(sample: Sample, result: ExerciseResult, lang: str, root: Path) -> str | None:
    shown = sample.path.relative_to(root).as_posix()
    if sample.wrong and result.status == "pass":
        return t("grading.corpus_wrong_passes", lang, path=shown, mistake=sample.mistake)
    if sample.wrong and any(test.failure_kind == "not_implemented" for test in result.tests):
        return t("grading.corpus_wrong_unfinished", lang, path=shown)
    if not sample.wrong and result.status != "pass":
        failing = next((test for test in result.tests if test.status != "pass"), None)
        why = result.message or (f"{failing.name}: {failing.message}" if failing else "?")
        return t("grading.corpus_right_fails", lang, path=shown, message=why)
    return None


#: Corpus files graded at once: wrong solutions mostly wait (for a model that never gets read, for
#: a patience to run out), so two per core keep the cores busy; the grades hold under load anyway.
CORPUS_JOBS = 2 * DEFAULT_JOBS


def verify_corpus(course: Course, *, lang: str | None = None, jobs: int = CORPUS_JOBS) -> CorpusCheck:
    """Grade every corpus file; count them, and name each one whose grade is not what it must be."""
    language = current_language(lang)
    check = CorpusCheck()
    found: list[Sample] = []
    for exercise in course.exercises:
        mine = samples(course, exercise)
        wrong = sum(sample.wrong for sample in mine)
        if wrong < MIN_WRONG or len(mine) - wrong < MIN_RIGHT:
            check.violations.append(t("grading.corpus_too_small", language, exercise=exercise.name, wrong=wrong,
                                      right=len(mine) - wrong, min_wrong=MIN_WRONG, min_right=MIN_RIGHT))
        found += mine
    with tempfile.TemporaryDirectory(prefix="coursekit-corpus-") as scratch:
        pairs = []
        for number, sample in enumerate(found):
            target = Path(scratch) / f"sample{number}"
            destination = sample.exercise.file_in(target)
            destination.parent.mkdir(parents=True)
            shutil.copyfile(sample.path, destination)
            pairs.append((sample.exercise, target))
        method = choose_start_method("auto")
        if method == "fork":
            warm_up()
        results = run_pairs(pairs, lang=language, jobs=jobs, method=method)
    for sample, result in zip(found, results, strict=True):
        check.wrong += sample.wrong
        check.right += not sample.wrong
        if (problem := _verdict(sample, result, language, course.root)) is not None:
            check.violations.append(problem)
    return check

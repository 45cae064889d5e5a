"""Near-identical code between students, exercise by exercise: a pointer for a human, never a grade.

For each exercise, every two students' ``<day>/<stem>.py`` are compared with copydetect
(winnowing, as in MOSS). Its tokenizer makes every variable name ``V``, function name ``F``,
class name ``O`` and string ``S`` and drops comments and blank space, so renamed variables, a
rewritten docstring or reflowed whitespace change nothing. The template's own code
(``exercises/<day>/<stem>.py``) is copydetect's boilerplate: what every student was handed is
never shared code, so two students who only kept the template share nothing.

A pair is flagged when the code the two students share is at least :data:`THRESHOLD` of each
one's own code (both ways: a short file copied into a long one is not near-identical) and at
least :data:`MIN_SHARED` characters of tokenized code (a line or two: two one-line answers that
any two students would write alike are not flagged). The flags go to ``similarity.csv``,
``similarity.json`` and ``report.html``; nothing here touches a score.

Deterministic: copydetect hashes its k-grams with Python's ``hash()``, which is salted per
process, and winnowing keeps the smallest hash of each window, so a different salt picks other
fingerprints. The comparison therefore runs in a child process with a fixed ``PYTHONHASHSEED``
(``python -m coursekit.grade_class.similarity JOB``, the pairs on its stdout), which also keeps
matplotlib and numpy (copydetect's imports) out of the class runner. It starts as soon as the
sources are read and works beside the graders, at a lower priority (:class:`Comparison`).

The sources are read by the runner before any student is graded (what was handed in, whatever a
submission does while graded), as regular files only (no link, no FIFO) of at most
:data:`MAX_SOURCE_BYTES`.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
import os
import stat
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from coursekit.grade_class.gradebook import _cell as formula_safe
from coursekit.i18n import t

#: copydetect's noise threshold (k): the shortest run of tokenized characters that counts as shared.
NOISE_THRESHOLD = 20
#: copydetect's guarantee threshold: a shared run this long is always found (window = 30 - 20 + 1).
GUARANTEE_THRESHOLD = 30
#: Flagged when the shared code is at least this share of each of the two students' own code. A disguised
#: copy (reformatted, every name changed) stays well above it and the course's independent right solutions
#: well below it: tests/grading/test_similarity.py checks both on every exercise.
THRESHOLD = 0.5
#: ...and at least this many characters of tokenized code (a line or two).
MIN_SHARED = 40
#: A file larger than this (no honest exercise is near it) is left out of the comparison.
MAX_SOURCE_BYTES = 100_000
HASH_SEED = "0"
#: The child's backstop, counted from the end of grading (it starts before): far above a class's need.
TIMEOUT_SECONDS = 600.0
#: The child's priority: below the graders', which a student's time limits are measured against.
NICENESS = 10
CSV_NAME = "similarity.csv"
JSON_NAME = "similarity.json"
CSV_COLUMNS = ("exercise", "student_a", "student_b", "share_a", "share_b", "shared")


def text(key: str, lang: str, **values: object) -> str:
    """This section's text ``key`` in ``lang``, from the catalogue ``coursekit/i18n/similarity.toml``."""
    return t(f"similarity.{key}", lang, **values)


@dataclass(frozen=True)
class Pair:
    """Two students whose code for one exercise is near-identical."""

    exercise: str
    students: tuple[str, str]
    """In name order."""
    shares: tuple[float, float]
    """The shared code as a share of each student's own (non-template) code, in the same order."""
    shared: int
    """Characters of tokenized code the two have in common."""


@dataclass
class Similarity:
    """The class's flagged pairs, and how they were found."""

    pairs: list[Pair] = field(default_factory=list)
    compared: dict[str, int] = field(default_factory=dict)
    """Students compared per exercise."""
    left_out: list[tuple[str, str, str]] = field(default_factory=list)
    """(exercise, student, why): a file that was not read (``too_big``, ``not_a_file``)."""
    error: str | None = None
    """Why no pair could be computed (the comparison failed or was stopped); then ``pairs`` is empty."""

    def of(self, exercise: str) -> list[Pair]:
        return [pair for pair in self.pairs if pair.exercise == exercise]

    def as_json(self) -> dict[str, Any]:
        return {
            "tool": "copydetect", "version": _copydetect_version(),
            "noise_threshold": NOISE_THRESHOLD, "guarantee_threshold": GUARANTEE_THRESHOLD,
            "threshold": THRESHOLD, "min_shared": MIN_SHARED,
            "status": "error" if self.error else "done", "message": self.error,
            "compared": self.compared,
            "left_out": [{"exercise": e, "student": s, "reason": r} for e, s, r in self.left_out],
            "pairs": [{**asdict(pair), "students": list(pair.students), "shares": list(pair.shares)} for pair in self.pairs],
        }


def _copydetect_version() -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("copydetect")
    except PackageNotFoundError:
        return None


# --- in the class runner -------------------------------------------------------------------------------


@dataclass
class Sources:
    """What each student handed in, per exercise, read once before grading."""

    templates: dict[str, str] = field(default_factory=dict)
    """exercise -> the template's text (the boilerplate)."""
    code: dict[str, dict[str, str]] = field(default_factory=dict)
    """exercise -> student -> the student's text."""
    left_out: list[tuple[str, str, str]] = field(default_factory=list)

    def add_template(self, exercise: str, path: Path) -> None:
        self.templates[exercise] = path.read_text(encoding="utf-8")
        self.code.setdefault(exercise, {})

    def add(self, exercise: str, student: str, path: Path) -> None:
        """The student's file for ``exercise``, when there is a regular one of a sane size."""
        try:
            info = path.lstat()
        except OSError:
            return  # not handed in: nothing to compare
        if not stat.S_ISREG(info.st_mode):
            self.left_out.append((exercise, student, "not_a_file"))
        elif info.st_size > MAX_SOURCE_BYTES:
            self.left_out.append((exercise, student, "too_big"))
        else:
            try:
                text = path.read_bytes().decode("utf-8", errors="replace")
            except OSError:
                self.left_out.append((exercise, student, "not_a_file"))
                return
            self.code.setdefault(exercise, {})[student] = text


class Comparison:
    """The comparison running in its child process: started once the sources are read, read once grading ends.

    The child runs at a lower priority (nice :data:`NICENESS`), so it takes what CPU the graders leave;
    the job and the answer go through files in ``folder``, so neither side waits on a full pipe.
    """

    def __init__(self, sources: Sources, folder: Path) -> None:
        self.sources = sources
        self.compared = {exercise: len(students) for exercise, students in sources.code.items()}
        self.process: subprocess.Popen[bytes] | None = None
        if all(count < 2 for count in self.compared.values()):
            return  # nobody to compare with
        folder.mkdir(parents=True, exist_ok=True)
        job, self.answer, self.errors = folder / "similarity-job.json", folder / "similarity-pairs.json", folder / "similarity.err"
        job.write_text(json.dumps({"templates": sources.templates, "code": sources.code}), encoding="utf-8")
        environment = {**os.environ, "PYTHONHASHSEED": HASH_SEED, "MPLBACKEND": "Agg"}
        with self.answer.open("wb") as out, self.errors.open("wb") as err:
            self.process = subprocess.Popen([sys.executable, "-m", "coursekit.grade_class.similarity", str(job)],
                                            stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=environment,
                                            start_new_session=True)
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, self.process.pid, NICENESS)

    def result(self, timeout: float = TIMEOUT_SECONDS) -> Similarity:
        """The flagged pairs, waiting at most ``timeout`` seconds more for the child."""
        left_out = self.sources.left_out
        if self.process is None:
            return Similarity([], self.compared, left_out)
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            return Similarity([], self.compared, left_out, f"timeout after {timeout:.0f} s")
        if code != 0:
            lines = self.errors.read_text(encoding="utf-8", errors="replace").strip().splitlines()
            return Similarity([], self.compared, left_out, lines[-1] if lines else f"exit {code}")
        found = json.loads(self.answer.read_text(encoding="utf-8"))
        pairs = [Pair(item["exercise"], tuple(item["students"]), tuple(item["shares"]), item["shared"]) for item in found]
        return Similarity(pairs, self.compared, left_out)  # type: ignore[arg-type]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def compare(sources: Sources, timeout: float = TIMEOUT_SECONDS) -> Similarity:
    """The flagged pairs of ``sources``, computed in a child process with a fixed hash seed."""
    with tempfile.TemporaryDirectory(prefix="coursekit-similarity-") as folder:
        comparison = Comparison(sources, Path(folder))
        try:
            return comparison.result(timeout)
        finally:
            comparison.stop()


def csv_text(similarity: Similarity) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for pair in similarity.pairs:
        writer.writerow([pair.exercise, *(formula_safe(student) for student in pair.students), *pair.shares, pair.shared])
    return buffer.getvalue()


def json_text(similarity: Similarity) -> str:
    return json.dumps(similarity.as_json(), ensure_ascii=False, indent=2) + "\n"


# --- in the child ---------------------------------------------------------------------------------------


def find_pairs(templates: dict[str, str], code: dict[str, dict[str, str]]) -> list[Pair]:
    """Every flagged pair, exercise by exercise (in the order given), closest first, then by names.

    Call it in a process whose ``PYTHONHASHSEED`` is fixed, or the figures vary between runs.
    """
    import numpy as np
    from copydetect import CodeFingerprint, compare_files

    window = GUARANTEE_THRESHOLD - NOISE_THRESHOLD + 1
    pairs: list[Pair] = []
    for exercise, students in code.items():
        template = templates.get(exercise, "")
        # As copydetect's own boilerplate option does: every k-gram of the template (window 1), none dropped.
        boilerplate = np.unique(np.array(sorted(CodeFingerprint(f"{exercise}.py", NOISE_THRESHOLD, 1, language="python",
                                                                fp=io.StringIO(template)).hashes)))
        # Students who handed in the same text have the same fingerprints: each text is fingerprinted once,
        # and each two texts compared once, however many students share them.
        texts = sorted(set(students.values()))
        prints = [CodeFingerprint(f"{exercise}.py", NOISE_THRESHOLD, window, boilerplate, language="python", fp=io.StringIO(text))
                  for text in texts]
        which = {text: index for index, text in enumerate(texts)}
        outcomes: dict[tuple[int, int], tuple[int, tuple[float, float]] | None] = {}
        found = []
        for first, second in itertools.combinations(sorted(students), 2):
            key = (which[students[first]], which[students[second]])
            if key not in outcomes:
                a, b = prints[key[0]], prints[key[1]]
                outcomes[key] = None
                if a.hashes and b.hashes and not a.hashes.isdisjoint(b.hashes):
                    shared, (share_a, share_b), _ = compare_files(a, b)
                    outcomes[key] = (int(shared), (round(float(share_a), 3), round(float(share_b), 3)))
            outcome = outcomes[key]
            if outcome is not None and outcome[0] >= MIN_SHARED and min(outcome[1]) >= THRESHOLD:
                found.append(Pair(exercise, (first, second), outcome[1], outcome[0]))
        found.sort(key=lambda pair: (-min(pair.shares), -max(pair.shares), pair.students))
        pairs.extend(found)
    return pairs


def main() -> int:
    """The child: the job file (JSON: ``templates``, ``code``) as its argument, the flagged pairs as JSON on stdout."""
    import logging

    logging.disable(logging.WARNING)  # copydetect warns on stderr about what it cannot tokenize
    job = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    pairs = find_pairs(job["templates"], job["code"])
    json.dump([{**asdict(pair), "students": list(pair.students), "shares": list(pair.shares)} for pair in pairs], sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())

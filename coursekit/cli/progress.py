"""``coursekit status``: how far a student is, fast, and never claiming an ungraded pass.

Grading every exercise on each ``status`` would take seconds per exercise, so results are kept
in ``.coursekit/results-cache.json`` (git-ignored) under a fingerprint of every file that
decides the grade: the student's exercise file, its tests and course.toml. A result is reused only while
those bytes are unchanged; anything edited since is graded again. An exercise whose file is
still byte-for-byte the committed template is shown as "not started" without grading: that
is a fact git can tell, not a guess, and it makes a fresh checkout's first ``status`` instant.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coursekit.atomic import write_atomic

if TYPE_CHECKING:
    from coursekit.grading.results import ExerciseResult

CACHE_FILE = Path(".coursekit") / "results-cache.json"
CACHE_VERSION = 2
NOT_STARTED = "todo"
PASS = "pass"  # the grader's status of a test or exercise that passes (results.json, Exercism v3)


def fingerprint(files: Iterable[Path]) -> str:
    """A hash of the names and bytes of ``files``; a missing file hashes differently from an empty one."""
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.as_posix().encode() + b"\0")
        digest.update(file.read_bytes() if file.is_file() else b"\0missing\0")
    return digest.hexdigest()


class ResultCache:
    """Graded results of the student's exercises, each valid only for the fingerprint it was graded at."""

    def __init__(self, root: Path) -> None:
        self.path = root / CACHE_FILE
        self.entries: dict[str, dict[str, Any]] = self._read()

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # no cache yet, or a damaged one: grade again rather than trust it
        if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
            return {}
        return data.get("exercises", {})

    def get(self, name: str, key: str) -> ExerciseResult | None:
        """The result of ``name`` graded at fingerprint ``key``, or None (also for an entry it cannot read)."""
        entry = self.entries.get(name)
        if not entry or entry.get("fingerprint") != key:
            return None
        from coursekit.grading.results import ExerciseResult  # on use: status without grading skips pytest

        try:
            return ExerciseResult.from_fields(entry["result"])
        except (KeyError, TypeError):
            return None

    def put(self, name: str, key: str, result: ExerciseResult) -> None:
        """Remember ``result`` for ``name`` at fingerprint ``key`` (call :meth:`save` to persist)."""
        self.entries[name] = {"fingerprint": key, "result": asdict(result)}

    def save(self) -> None:
        """Write the cache atomically, so neither an interrupted run nor two at once leave half a file."""
        write_atomic(self.path, json.dumps({"version": CACHE_VERSION, "exercises": self.entries}, indent=1))


def git_blob_id(data: bytes) -> str:
    """The id git gives a file with these bytes (what ``git hash-object`` prints)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def committed_blob_ids(root: Path, folder: Path) -> dict[Path, str]:
    """Blob ids of the files under ``folder`` at ``HEAD``; empty when git cannot tell."""
    try:
        listed = subprocess.run(
            ["git", "-C", str(root), "ls-tree", "-r", "--full-tree", "HEAD", "--", folder.relative_to(root).as_posix()],
            capture_output=True, text=True, check=False, timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired, ValueError):
        return {}
    if listed.returncode != 0:
        return {}
    blobs = {}
    for line in listed.stdout.splitlines():
        meta, _, path = line.partition("\t")
        blobs[root / path] = meta.split()[-1]
    return blobs


def untouched(files: Iterable[Path], committed: Mapping[Path, str]) -> set[Path]:
    """The ``files`` whose bytes are exactly their committed version."""
    return {file for file in files if file in committed and file.is_file() and git_blob_id(file.read_bytes()) == committed[file]}


@dataclass(frozen=True)
class ExerciseProgress:
    """Where one exercise stands: a grader status, or ``"todo"`` for an untouched template."""

    name: str
    day: str
    status: str
    score: float
    max_score: float

    @property
    def passed(self) -> bool:
        return self.status == PASS

    @classmethod
    def of(cls, day: str, result: ExerciseResult) -> ExerciseProgress:
        return cls(result.name, day, result.status, result.score, result.max_score)


@dataclass(frozen=True)
class DayProgress:
    """One row of the status table."""

    day: str
    passed: int
    total: int
    score: float
    max_score: float


def summarise_days(days: Sequence[str], exercises: Sequence[ExerciseProgress]) -> list[DayProgress]:
    """Per-day totals for each of ``days``, in that order (a day without exercises counts 0/0)."""
    by_day: dict[str, list[ExerciseProgress]] = {day: [] for day in days}
    for exercise in exercises:
        by_day.setdefault(exercise.day, []).append(exercise)
    return [
        DayProgress(day, sum(e.passed for e in items), len(items), sum(e.score for e in items), sum(e.max_score for e in items))
        for day, items in by_day.items()
    ]


def next_unfinished(exercises: Sequence[ExerciseProgress]) -> ExerciseProgress | None:
    """The first exercise, in course order, that has not passed."""
    return next((exercise for exercise in exercises if not exercise.passed), None)

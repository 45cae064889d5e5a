"""Gradescope: the autograder bundle, and what its ``run_autograder`` does with each submission.

Gradescope's autograder specification (gradescope-autograders.readthedocs.io, "Autograder
Specifications"): a zip with ``setup.sh`` (run once, as root, when the image is built) and
``run_autograder`` (run for every submission, in ``/autograder``) at its root. The zip is
extracted into ``/autograder/source``; the student's files are in ``/autograder/submission``;
the grade goes to ``/autograder/results/results.json``::

    {"score", "execution_time" (seconds), "output", "output_format", "extra_data",
     "tests": [{"name", "number", "score", "max_score", "status": "passed" | "failed",
                "output", "visibility": "visible" | "hidden" | "after_due_date" | "after_published"}]}

The bundle holds the course's grader, manifest and tests under ``source/course`` and the build's
choices in ``source/coursekit-gradescope.json``. ``run_autograder`` copies the submitted files
of the chosen exercises into a fresh folder laid out like ``exercises/`` (students may upload the
whole repository, the ``exercises`` folder or loose ``exNN_*.py`` files), grades it with
``coursekit check --json -`` and writes one Gradescope test per exercise with the exercise's
points, so partial credit reads exactly as in ``coursekit check``.

As root without a working bubblewrap (the usual Gradescope container), the grader runs as
``nobody`` (``COURSEKIT_GRADER_USER`` names another user): graded code can then neither write
the results file nor change the bundle.
``COURSEKIT_AUTOGRADER`` moves the ``/autograder`` root (tests run the bundle in a temp folder),
and ``COURSEKIT_PYTHON`` the interpreter (default: the venv ``setup.sh`` makes).
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from coursekit.i18n import t
from coursekit.manifest import Course, Exercise, localized

VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")
SANDBOXES = ("auto", "bwrap", "none")
CONFIG_NAME = "coursekit-gradescope.json"
COURSE_DIR = "course"
ROOT_ENV = "COURSEKIT_AUTOGRADER"
USER_ENV = "COURSEKIT_GRADER_USER"
DEFAULT_ROOT = "/autograder"
#: The toolkit's repository (coursekit is installed editable): where the package and its pins live.
TOOLKIT_ROOT = Path(__file__).resolve().parents[2]
#: What the grader reads besides the package: its pins and build file, the manifest, the tests.
COURSE_FILES = ("course.toml", "pyproject.toml", "requirements.txt", "constraints.txt", "README.md", "tests/conftest.py")
COURSE_TREES = ("tests/exercises",)
SKIPPED_PARTS = {"__pycache__", ".pytest_cache", ".coursekit"}
_FIXED_DATE = (2020, 1, 1, 0, 0, 0)  # zip entries carry no build time: the same course gives the same bundle
#: A submission folder is searched this deep for the exercise files, past a zip's wrapping folders.
SEARCH_DEPTH = 6

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (Ubuntu 22.04 or later).
# It installs Python 3.11 or newer and the course's pinned packages into $AUTOGRADER/venv.
set -euo pipefail
AUTOGRADER="${COURSEKIT_AUTOGRADER:-/autograder}"
COURSE="$AUTOGRADER/source/course"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# bubblewrap lets the grader sandbox each submission where the container allows it (--sandbox auto).
apt-get install -y -qq python3 python3-venv bubblewrap || apt-get install -y -qq python3 python3-venv
PYTHON=""
for candidate in python3.13 python3.12 python3.11 python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    PYTHON="$candidate"
    break
  fi
done
if [ -z "$PYTHON" ]; then  # Ubuntu 22.04's python3 is 3.10; its universe has 3.11
  apt-get install -y -qq python3.11 python3.11-venv
  PYTHON=python3.11
fi
"$PYTHON" -m venv "$AUTOGRADER/venv"
"$AUTOGRADER/venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$COURSE/requirements.txt" -c "$COURSE/constraints.txt"
"$AUTOGRADER/venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e "$COURSE"
"$AUTOGRADER/venv/bin/python" -m coursekit --root "$COURSE" --help >/dev/null
# Without bubblewrap the grader runs as nobody, who must read the course and run the venv.
chmod a+rx "$AUTOGRADER"
chmod -R a+rX "$AUTOGRADER/source" "$AUTOGRADER/venv"
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for every submission, in /autograder: grade /autograder/submission with the
# course's own grader and write /autograder/results/results.json (see coursekit/platforms/gradescope.py).
set -euo pipefail
AUTOGRADER="${COURSEKIT_AUTOGRADER:-/autograder}"
COURSE="$AUTOGRADER/source/course"
PYTHON="${COURSEKIT_PYTHON:-$AUTOGRADER/venv/bin/python}"
cd "$COURSE"  # python -m imports the bundle's own coursekit from here
exec "$PYTHON" -m coursekit --root "$COURSE" gradescope run --autograder "$AUTOGRADER"
"""


class GradescopeError(Exception):
    """The bundle cannot be built or a submission cannot be graded; the message says why."""


@dataclass(frozen=True)
class BundleConfig:
    """What ``gradescope build`` chose, read again by ``run_autograder`` inside Gradescope."""

    exercises: list[str]
    lang: str
    visibility: str = "visible"
    sandbox: str = "auto"

    @classmethod
    def read(cls, path: Path) -> BundleConfig:
        return cls(**json.loads(path.read_text(encoding="utf-8")))


# --- Building the bundle ---------------------------------------------------------------------------


def _source(course: Course, relative: str) -> Path | None:
    """A course file, from the course itself, else from the toolkit's repository."""
    for root in (course.root, TOOLKIT_ROOT):
        if (root / relative).is_file():
            return root / relative
    return None


def _files_under(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_file() and not path.is_symlink() and not SKIPPED_PARTS.intersection(relative.parts) and path.suffix != ".pyc":
            yield path


def bundle_members(course: Course) -> dict[str, Path]:
    """Name inside the zip -> file on disk, for everything but the two scripts and the config."""
    members: dict[str, Path] = {}
    for relative in COURSE_FILES:
        source = _source(course, relative)
        if source is not None:
            members[f"{COURSE_DIR}/{relative}"] = source
    package = Path(__file__).resolve().parents[1]
    for path in _files_under(package):
        members[f"{COURSE_DIR}/coursekit/{path.relative_to(package).as_posix()}"] = path
    for tree in COURSE_TREES:
        for path in _files_under(course.root / tree):
            members[f"{COURSE_DIR}/{tree}/{path.relative_to(course.root / tree).as_posix()}"] = path
    return members


def _add(archive: zipfile.ZipFile, name: str, data: bytes, *, executable: bool = False) -> None:
    info = zipfile.ZipInfo(name, date_time=_FIXED_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = ((0o755 if executable else 0o644) | stat.S_IFREG) << 16
    archive.writestr(info, data)


def build_bundle(course: Course, exercises: Iterable[Exercise], out: Path, *, lang: str,
                 visibility: str = "visible", sandbox: str = "auto") -> list[str]:
    """Write Gradescope's autograder zip to ``out`` (atomically); return the names it holds."""
    config = BundleConfig([exercise.name for exercise in exercises], lang, visibility, sandbox)
    members = bundle_members(course)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    with zipfile.ZipFile(partial, "w") as archive:
        _add(archive, "setup.sh", SETUP_SH.encode(), executable=True)
        _add(archive, "run_autograder", RUN_AUTOGRADER.encode(), executable=True)
        _add(archive, CONFIG_NAME, (json.dumps(asdict(config), indent=2) + "\n").encode())
        for name, path in members.items():
            _add(archive, name, path.read_bytes())
        names = archive.namelist()
    os.replace(partial, out)
    return names


# --- Grading one submission ------------------------------------------------------------------------


def _candidates(submission: Path, filename: str) -> list[Path]:
    """Regular files named ``filename`` in the submission, shallowest first (no symlinks followed)."""
    found = []
    for folder, dirs, files in os.walk(submission):
        depth = len(Path(folder).relative_to(submission).parts)
        dirs[:] = sorted(name for name in dirs if not name.startswith((".", "__")) and depth < SEARCH_DEPTH)
        path = Path(folder) / filename
        if filename in files and path.is_file() and not path.is_symlink():
            found.append(path)
    return sorted(found, key=lambda path: (len(path.parts), str(path)))


def find_file(submission: Path, exercise: Exercise, course: Course) -> Path | None:
    """The submitted file of ``exercise``: under a folder named for its day, else a loose file
    (only when no other day has an exercise of the same file name)."""
    filename = f"{exercise.stem}.py"
    found = _candidates(submission, filename)
    in_day = [path for path in found if path.parent.name == exercise.day]
    if in_day:
        return in_day[0]
    unique = sum(other.stem == exercise.stem for other in course.exercises) == 1
    return found[0] if found and unique else None


def stage_submission(submission: Path, course: Course, exercises: Iterable[Exercise], folder: Path) -> list[str]:
    """Copy the submitted files of ``exercises`` into ``folder``, laid out like ``exercises/``.

    Every day folder is made even when empty, so a missing file is graded as missing. Returns
    the names of the exercises whose file was found. Folders and files are readable by all: an
    unprivileged grader reads them.
    """
    found = []
    folder.chmod(0o755)
    for exercise in exercises:
        day = folder / exercise.day
        day.mkdir(mode=0o755, exist_ok=True)
        source = find_file(submission, exercise, course)
        if source is not None:
            shutil.copyfile(source, day / f"{exercise.stem}.py")
            (day / f"{exercise.stem}.py").chmod(0o644)
            found.append(exercise.name)
    return found


def _grader_user() -> dict[str, Any]:
    """subprocess arguments that drop root to ``$COURSEKIT_GRADER_USER`` (default ``nobody``).

    Nothing to drop when not root, or when that variable names root (a grader whose Python
    ``nobody`` cannot run, as in a developer's venv under /root).
    """
    if os.geteuid() != 0:
        return {}
    user = os.environ.get(USER_ENV, "nobody")
    if user in ("root", "0"):
        return {}
    try:
        entry = pwd.getpwuid(int(user)) if user.isdigit() else pwd.getpwnam(user)
    except KeyError:
        raise GradescopeError(t("cli.gradescope_no_user", None, user=user, variable=USER_ENV)) from None
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


def grade_submission(course: Course, config: BundleConfig, target: Path, *, python: str = sys.executable) -> dict[str, Any]:
    """``coursekit check --json -`` on ``target``: the course's results.json (version 3) as a dict.

    Without bubblewrap, a root grader drops to ``nobody`` first. The grader's exit code must be
    0 (all pass) or 1 (something to fix); anything else is the grader failing, never a grade.
    """
    from coursekit.grading.sandbox import choose

    sandbox = choose(config.sandbox)  # type: ignore[arg-type]
    command = [python, "-m", "coursekit", "--root", str(course.root), "check", *config.exercises,
               "--target", str(target), "--json", "-", "--sandbox", sandbox, "--lang", config.lang]
    drop = _grader_user() if sandbox == "none" else {}
    env = {**os.environ, "HOME": tempfile.gettempdir()} if drop else None
    try:
        result = subprocess.run(command, cwd=course.root, capture_output=True, text=True, env=env, **drop)
    except OSError as error:
        raise GradescopeError(t("cli.gradescope_grader_failed", config.lang, code="-", reason=error)) from None
    if result.returncode not in (0, 1):
        raise GradescopeError(t("cli.gradescope_grader_failed", config.lang, code=result.returncode,
                                reason=(result.stderr.strip().splitlines() or ["?"])[-1]))
    try:
        results = json.loads(result.stdout)
        graded = [exercise["name"] for exercise in results["exercises"]] if results["version"] == 3 else None
    except (ValueError, KeyError, TypeError):
        graded = None
    if graded != config.exercises:  # one report, of exactly the exercises asked for, or no grade
        raise GradescopeError(t("cli.gradescope_grader_failed", config.lang, code=result.returncode, reason="results.json?"))
    return results


def _points(value: float) -> float | int:
    rounded = round(value, 2)
    return int(rounded) if rounded == int(rounded) else rounded


def _test_lines(exercise: dict[str, Any]) -> list[str]:
    lines = [exercise["message"], ""] if exercise.get("message") else []
    for test in exercise["tests"]:
        mark = "✔" if test["status"] == "pass" else "✘"
        lines.append(f"{mark} {test['name']}  ({test['score']}/{test['max_score']})")
        if test["status"] != "pass" and test.get("message"):
            lines.extend(f"    {line}" for line in test["message"].splitlines())
    return lines


def to_gradescope(results: dict[str, Any], course: Course, *, lang: str, visibility: str = "visible",
                  execution_time: float = 0.0, found: Iterable[str] | None = None) -> dict[str, Any]:
    """Gradescope's results.json from the course's results.json: one test per exercise.

    A test's score is its exercise's score (partial credit over tasks, or all or nothing as the
    manifest says), so the tests add up to the total; ``status`` is ``passed`` only for an
    exercise that passes completely.
    """
    tests = []
    for number, exercise in enumerate(results["exercises"], start=1):
        title = localized(course.exercise(exercise["name"]).title, lang)
        tests.append({
            "name": f"{exercise['name']} — {title}",
            "number": str(number),
            "score": exercise["score"],
            "max_score": exercise["max_score"],
            "status": "passed" if exercise["status"] == "pass" else "failed",
            "output": "\n".join(_test_lines(exercise)),
            "output_format": "text",
            "visibility": visibility,
        })
    score = _points(sum(test["score"] for test in tests))
    max_score = sum(test["max_score"] for test in tests)
    passed = sum(test["status"] == "passed" for test in tests)
    summary = [t("cli.gradescope_summary", lang, score=score, max_score=max_score, passed=passed, count=len(tests))]
    if found is not None:
        missing = [exercise["name"] for exercise in results["exercises"] if exercise["name"] not in set(found)]
        if missing:
            summary.append(t("cli.gradescope_missing_files", lang, names=", ".join(missing)))
    provenance = {key: results.get(key) for key in ("sandbox", "graded_at", "coursekit", "commit")}
    return {
        "score": score,
        "execution_time": round(execution_time),
        "output": "\n".join(summary),
        "output_format": "text",
        "tests": tests,
        "extra_data": {"coursekit": {**provenance, "status": results["status"], "version": results["version"]}},
    }


def autograder_root(value: str | None) -> Path:
    return Path(value or os.environ.get(ROOT_ENV) or DEFAULT_ROOT)


def run_autograder(course: Course, autograder: Path, *, python: str = sys.executable) -> dict[str, Any]:
    """Grade ``autograder/submission`` and write ``autograder/results/results.json``; return it."""
    started = time.monotonic()
    config_path = autograder / "source" / CONFIG_NAME
    if not config_path.is_file():
        raise GradescopeError(t("cli.gradescope_no_config", None, path=config_path))
    config = BundleConfig.read(config_path)
    exercises = [course.exercise(name) for name in config.exercises]
    with tempfile.TemporaryDirectory(prefix="coursekit-submission-") as folder:
        found = stage_submission(autograder / "submission", course, exercises, Path(folder))
        results = grade_submission(course, config, Path(folder), python=python)
    output = to_gradescope(results, course, lang=config.lang, visibility=config.visibility,
                           execution_time=time.monotonic() - started, found=found)
    results_dir = autograder / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    partial = results_dir / ".results.json.partial"
    partial.write_text(json.dumps(output, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, results_dir / "results.json")
    return output

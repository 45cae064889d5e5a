"""One bubblewrap sandbox per submission: graded code sees the course read-only, and nothing else it could harm.

Inside the sandbox there is no network but loopback, a PID namespace of its own (nothing
outlives grading), the course (``coursekit/``, ``tests/``, ``course.toml``, the venv and the
Python it runs on) mounted read-only, ``solutions/``, the corpus and ``.git`` hidden, and a
non-root uid when the grader is root. The submission is copied into a tmpfs, the only writable
place besides ``/tmp``. A warmed grader inside forks one child per exercise, as outside, and
hands each result out on its standard output as one JSON line.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Literal

from coursekit.grading.results import ExerciseResult
from coursekit.i18n import COURSE_ROOT, t
from coursekit.manifest import Course, Exercise

SandboxChoice = Literal["auto", "bwrap", "none"]
#: Course folders graded code must not read: the answers, and the history that holds them.
HIDDEN = ("solutions", "tests/corpus", ".git")
#: What a Python program needs from /etc: name lookups for localhost, users, time zone, the linker.
ETC_FILES = ("hosts", "nsswitch.conf", "passwd", "group", "localtime", "ld.so.cache", "ld.so.conf",
             "ld.so.conf.d", "alternatives", "mime.types", "os-release")
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
SUBMISSION = "/submission"
TMPFS_BYTES = {SUBMISSION: 64 * 1024 * 1024, "/tmp": 512 * 1024 * 1024}
NOBODY = 65534
#: Environment a sandboxed grader gets; everything else (keys, tokens, CI settings) stays outside.
KEPT_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "LANGUAGE", "TERM", "COURSE_LANG")


class SandboxUnavailable(RuntimeError):
    """``--sandbox bwrap`` was asked for, and bubblewrap is missing or cannot start here."""


@functools.cache
def bwrap_works() -> bool:
    """bubblewrap is installed and can make the namespaces it needs (some containers forbid them)."""
    if sys.platform != "linux" or shutil.which("bwrap") is None:
        return False
    probe = subprocess.run(["bwrap", *_isolation(), *_system_mounts(), "true"], capture_output=True, timeout=30)
    return probe.returncode == 0


def choose(choice: SandboxChoice) -> Literal["bwrap", "none"]:
    """The sandbox to grade in: ``auto`` takes bubblewrap when it works."""
    if choice == "none" or (choice == "auto" and not bwrap_works()):
        return "none"
    if not bwrap_works():
        raise SandboxUnavailable("bwrap")
    return "bwrap"


def _isolation() -> list[str]:
    uid = ["--uid", str(NOBODY), "--gid", str(NOBODY)] if os.geteuid() == 0 else []
    return ["--unshare-all", "--unshare-user", "--disable-userns", *uid, "--die-with-parent", "--new-session",
            "--proc", "/proc", "--dev", "/dev"]


def _system_mounts() -> list[str]:
    args: list[str] = []
    for folder in SYSTEM_DIRS:
        if os.path.islink(folder):
            args += ["--symlink", os.readlink(folder), folder]
        elif os.path.isdir(folder):
            args += ["--ro-bind", folder, folder]
    for name in ETC_FILES:
        args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    return args


def _read_only(path: Path) -> list[str]:
    return ["--ro-bind", str(path), str(path)]


def _hidden(path: Path) -> list[str]:
    return ["--tmpfs", str(path), "--remount-ro", str(path)] if path.exists() else []


def bwrap_command(course_root: Path, submission: Path) -> list[str]:
    """The bubblewrap command line that runs the inner grader on ``submission``."""
    toolkit = Path(__file__).resolve().parents[1]  # coursekit itself, for a course kept elsewhere
    needed = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(), toolkit}
    catalogues = COURSE_ROOT / "tests" / "exercises"  # the days' messages, which coursekit.i18n reads from there
    if catalogues.is_dir():
        needed.add(catalogues.resolve())
    args = ["bwrap", *_isolation()]
    for place, size in TMPFS_BYTES.items():  # first, so that binds below /tmp stay visible on top
        args += ["--size", str(size), "--tmpfs", place]
    args += _system_mounts()
    for folder in sorted(needed):
        if not folder.is_relative_to(course_root):
            args += _read_only(folder)
    args += _read_only(course_root)
    for name in HIDDEN:
        args += _hidden(course_root / name)
    args += ["--ro-bind", str(submission), f"{SUBMISSION}.src", "--chdir", str(course_root), "--clearenv"]
    for name in KEPT_ENV:
        if name in os.environ:
            args += ["--setenv", name, os.environ[name]]
    args += ["--setenv", "HOME", "/tmp", "--setenv", "TMPDIR", "/tmp", "--setenv", "PYTHONDONTWRITEBYTECODE", "1"]
    return [*args, "--", sys.executable, "-I", "-m", "coursekit.grading.sandbox"]


def _results(stream: IO[str]) -> Iterator[ExerciseResult]:
    for line in stream:
        yield ExerciseResult.from_fields(json.loads(line))


def sandbox_job(course: Course, names: list[str], target: Path, *, lang: str, jobs: int) -> dict[str, object]:
    """What the grader inside the sandbox reads on its standard input."""
    return {"root": str(course.root), "names": names, "lang": lang, "jobs": jobs, "processes": _process_limit(),
            "target_name": target.name}


def grade_in_bwrap(
    course: Course,
    exercises: list[Exercise],
    target: Path,
    *,
    lang: str,
    jobs: int,
    on_result: Callable[[ExerciseResult], None] | None,
) -> list[ExerciseResult]:
    """Grade ``exercises`` of ``target`` in one sandbox; an exercise it never reported is an ``error``."""
    job = sandbox_job(course, [exercise.name for exercise in exercises], target, lang=lang, jobs=jobs)
    finished: dict[str, ExerciseResult] = {}
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(bwrap_command(course.root, target), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=log, text=True, start_new_session=True)
        try:
            assert process.stdin is not None and process.stdout is not None
            process.stdin.write(json.dumps(job))
            process.stdin.close()
            for result in _results(process.stdout):
                finished[result.name] = result
                if on_result is not None:
                    on_result(result)
        except (ValueError, KeyError, TypeError):
            pass  # an unreadable line: the rest is reported as lost below
        finally:
            process.kill()
            process.wait()
            log.seek(0)
            why = log.read().decode(errors="replace").strip().splitlines()
    reason = why[-1] if why else f"exit {process.returncode}"
    return [finished.get(exercise.name) or _lost(exercise, reason, lang) for exercise in exercises]


def _lost(exercise: Exercise, reason: str, lang: str) -> ExerciseResult:
    return ExerciseResult(exercise.name, exercise.points, problem=t("grading.sandbox_lost", lang, reason=reason))


def _process_limit() -> int | None:
    """Tasks the sandbox may add to its user's: RLIMIT_NPROC counts all of them, host-wide.

    None for root, whom the kernel exempts from RLIMIT_NPROC even inside a user namespace; the
    PID namespace and the CPU and clock limits still bound what graded code can start.
    """
    if os.geteuid() == 0:
        return None
    return _tasks_of(os.getuid()) + 256


def _tasks_of(uid: int) -> int:
    tasks = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if fields.get("Uid", "").split()[:1] == [str(uid)]:
            tasks += int(fields.get("Threads", "1").strip() or 1)
    return tasks


def _copy_submission(names: Iterable[str], folder_name: str) -> Path:
    """Copy the days being graded into the tmpfs; links stay links, so they resolve inside the sandbox.

    The copy keeps the target's folder name, which messages show ("my_work/day1/ex01.py").
    """
    source, destination = Path(f"{SUBMISSION}.src"), Path(SUBMISSION) / folder_name
    for day in sorted({name.partition("/")[0] for name in names}):
        if (source / day).is_dir():
            shutil.copytree(source / day, destination / day, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return destination


def _not_dumpable() -> None:
    """Graded children (same uid) may then neither trace this grader nor read its memory or fds."""
    import ctypes

    pr_set_dumpable = 4
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_dumpable, 0, 0, 0, 0)


def main() -> None:
    """Inside the sandbox: read the job on stdin, grade, write one result per line on the saved stdout."""
    from coursekit.grading.runner import run_exercises, warm_up
    from coursekit.manifest import load_course

    _not_dumpable()
    job = json.loads(sys.stdin.read())
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    course = load_course(job["root"])
    exercises = [course.exercise(name) for name in job["names"]]
    try:
        target = _copy_submission(job["names"], job["target_name"])
    except OSError as error:
        print(f"the submission could not be copied into the sandbox: {error.strerror or error}", file=sys.stderr)
        raise SystemExit(3) from None
    warm_up()

    def hand_out(result: ExerciseResult) -> None:
        out.write(json.dumps(dataclasses.asdict(result), ensure_ascii=False) + "\n")
        out.flush()

    run_exercises(exercises, target, lang=job["lang"], jobs=job["jobs"], method="fork",
                  processes=job["processes"], on_result=hand_out)


if __name__ == "__main__":
    main()

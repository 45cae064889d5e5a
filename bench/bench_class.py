"""``coursekit grade-class`` on a synthetic class of 100 full-course submissions, against one fresh ``pytest`` per submission.

The class is built from the course's own files with the builders of
``tests/grading/test_grade_class.py`` (and the disguised copies of ``test_similarity.py``):
reference solutions, untouched templates, students who mix solutions, right and wrong answers
from the corpus and templates exercise by exercise, two who copied a classmate, broken ones (a
syntax error, an import error, a file that exits, empty files, missing days), hostile ones (one
that tries to forge grades and rewrite tests, one that crashes, one that waits forever) and a
zip that escapes its folder; some are zipped as an LMS hands them out. The hostile ones are graded
only where bubblewrap works (without it they would succeed); they are replaced by mixed students
otherwise, and never run by the baseline.

Measured in the same run, so the machine's speed and load cancel out of the ratio:

- grade-class on the whole class, as an instructor runs it (``--jobs 2``, the default sandbox):
  wall time, submissions per minute, and peak memory: the largest sum of the resident memory of
  grade-class and all its processes, sampled every 0.2 s (an upper bound: pages that processes
  share are counted in each), and the largest single process;
- the baseline, one fresh ``python -m pytest --target=<submission>`` over every exercise's tests
  per submission, also two at a time. It is measured on a few submissions of each common kind
  (solution, template, mixed) and extrapolated to the class, kind by kind (the kinds not sampled
  count at the sample's mean), and says so.

Targets (issue 17): 100 submissions in at most 5 minutes, at least 10x the baseline, peak memory
at most 2 GB. Each is printed as within or OVER; the exit status is 1 when a grade is wrong (a
solution not at full marks, a template above 0, a copy not flagged), and with ``--strict`` also
when a target is missed.

Run: .venv/bin/python bench/bench_class.py [--students 100] [--strict]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections import Counter
from pathlib import Path

import psutil

from coursekit.grading.sandbox import bwrap_works
from coursekit.manifest import REPO_ROOT, Exercise, load_course

sys.path.insert(0, str(REPO_ROOT / "tests" / "grading"))
from test_grade_class import CRASH, ENDLESS_WAIT, HOSTILE, write_student, zip_folder  # noqa: E402
from test_similarity import disguised  # noqa: E402

from coursekit.grade_class import similarity as similar  # noqa: E402

JOBS = 2
SEED = 17
TARGET_SECONDS = 300.0
TARGET_RATIO = 10.0
TARGET_BYTES = 2 * 1024**3
SAMPLE_INTERVAL = 0.2
#: The class's make-up, out of 100 (scaled for --students); "mixed" takes what is left.
SHARES = {"solution": 34, "template": 15, "broken": 5, "hostile": 2, "crash": 1, "endless": 1, "zip_slip": 1, "copy": 2}
#: Submissions of each kind that the baseline runs.
BASELINE_SAMPLE = {"solution": 2, "template": 1, "mixed": 1}
BROKEN = {
    "syntax": "def oops(:\n    pass\n",
    "import": "import a_module_nobody_installed\n",
    "exit": "raise SystemExit(3)\n",
    "empty": "",
}
EX01 = "day1_stream/ex01_print_stream"


def corpus_files(exercise: Exercise) -> tuple[list[Path], list[Path]]:
    folder = REPO_ROOT / "tests" / "corpus" / exercise.day / exercise.stem
    return sorted(folder.glob("right_*.py")), sorted(folder.glob("wrong_*.py"))


def build_class(folder: Path, out: Path, exercises: list[Exercise], students: int, hostile_ok: bool) -> dict[str, str]:
    """Write the class into ``folder``; student -> kind."""
    rng = random.Random(SEED)
    scale = students / 100
    counts = {kind: max(1, round(share * scale)) for kind, share in SHARES.items()}
    if not hostile_ok:
        counts["hostile"] = 0
    counts["mixed"] = max(0, students - sum(counts.values()))
    kinds = [kind for kind, count in counts.items() for _ in range(count)][:students]
    rng.shuffle(kinds)
    solution = {exercise.name: exercise.solution.read_text(encoding="utf-8") for exercise in exercises}
    template = {exercise.name: exercise.template.read_text(encoding="utf-8") for exercise in exercises}
    plan: dict[str, str] = {}
    written: dict[str, dict[str, str]] = {}
    numbered = list(enumerate(kinds, 1))
    # The copies last, so that each has a classmate to copy from: a mixed one, whose work is their own.
    for number, kind in sorted(numbered, key=lambda item: item[1] == "copy"):
        student = f"student_{number:03}"
        plan[student] = kind
        if kind == "zip_slip":
            with zipfile.ZipFile(folder / f"{student}.zip", "w") as zipped:
                zipped.writestr(f"{exercises[0].day}/{exercises[0].stem}.py", solution[exercises[0].name])
                zipped.writestr("../../escaped.py", "print('out of the folder')\n")
            continue
        files = dict(solution)
        if kind == "template":
            files = dict(template)
        elif kind == "mixed":
            for exercise in exercises:
                right, wrong = corpus_files(exercise)
                choice = rng.choices(["solution", "right", "wrong", "template"], [0.4, 0.15, 0.3, 0.15])[0]
                pool = {"right": right, "wrong": wrong}.get(choice)
                if pool:
                    files[exercise.name] = rng.choice(pool).read_text(encoding="utf-8")
                elif choice == "template":
                    files[exercise.name] = template[exercise.name]
        elif kind == "copy":
            sources = sorted(name for name, k in plan.items() if k == "mixed")
            if sources:
                source = rng.choice(sources)
                files = {name: disguised(code) for name, code in written[source].items()}
                plan[student] = f"copy of {source}"
            else:
                plan[student] = "solution"
        elif kind == "broken":
            fault = list(BROKEN)[number % len(BROKEN)]
            for index, exercise in enumerate(exercises):
                if index % 3 == 0:
                    files[exercise.name] = BROKEN[fault]
            if number % 2:
                files = {name: code for name, code in files.items() if not name.startswith(exercises[-1].day)}  # a day missing
        elif kind in ("hostile", "crash", "endless"):
            files[EX01] = {"hostile": HOSTILE.format(report=str(out), tests=str(folder.parent / "no_tests")),
                           "crash": CRASH, "endless": ENDLESS_WAIT}[kind]
        written[student] = files
        if number % 7 == 0:  # as an LMS hands them out
            staged = write_student(folder.parent / "staging" / student, files)
            zip_folder(staged, folder / f"{student}.zip", prefix=f"{student}/exercises/")
        else:
            write_student(folder / student, files)
    return plan


class PeakMemory:
    """The largest summed RSS of a process and its descendants, and the largest single RSS, sampled."""

    def __init__(self, pid: int) -> None:
        self.root = psutil.Process(pid)
        self.total = 0
        self.single = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                processes = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                return
            sizes = []
            for process in processes:
                try:
                    sizes.append(process.memory_info().rss)
                except psutil.Error:
                    pass
            self.total = max(self.total, sum(sizes))
            self.single = max([self.single, *sizes])
            self._stop.wait(SAMPLE_INTERVAL)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def grade_the_class(submissions: Path, out: Path) -> tuple[float, PeakMemory, subprocess.CompletedProcess[bytes]]:
    command = [sys.executable, "-m", "coursekit", "grade-class", str(submissions), "--out", str(out), "--jobs", str(JOBS),
               "--lang", "en"]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    memory = PeakMemory(process.pid)
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    memory.stop()
    return seconds, memory, subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def baseline(submissions: list[Path], tests: list[Path]) -> list[float]:
    """Seconds of one fresh ``python -m pytest`` per submission over every exercise's tests, ``JOBS`` at a time."""
    durations = [0.0] * len(submissions)
    waiting = list(enumerate(submissions))
    running: dict[int, tuple[subprocess.Popen[bytes], float]] = {}
    while waiting or running:
        while waiting and len(running) < JOBS:
            index, target = waiting.pop(0)
            command = [sys.executable, "-m", "pytest", "-q", "--rootdir", str(REPO_ROOT), "-c", str(REPO_ROOT / "pyproject.toml"),
                       f"--target={target}", *map(str, tests)]
            running[index] = (subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
                              time.perf_counter())
        time.sleep(0.05)
        for index, (process, started) in list(running.items()):
            if process.poll() is not None:
                durations[index] = time.perf_counter() - started
                if process.returncode not in (0, 1):
                    print(f"baseline: pytest on {submissions[index].name} exited with {process.returncode}")
                del running[index]
    return durations


def check_grades(out: Path, plan: dict[str, str]) -> list[str]:
    """What is wrong in the gradebook: a solution below full marks, a template above 0, an unflagged copy."""
    with (out / "grades.csv").open(encoding="utf-8", newline="") as file:
        rows = {row["student"]: row for row in csv.DictReader(file)}
    problems = [f"{student} has no row" for student in plan if student not in rows]
    for student, kind in plan.items():
        row = rows.get(student)
        if row is None:
            continue
        if kind == "solution" and float(row["total"]) != float(row["max"]):
            problems.append(f"{student} (solution): {row['total']}/{row['max']} {row['message']}")
        if kind in ("template", "zip_slip") and float(row["total"]) != 0:
            problems.append(f"{student} ({kind}): {row['total']}/{row['max']}")
    pairs = json.loads((out / similar.JSON_NAME).read_text(encoding="utf-8"))["pairs"]
    flagged = {tuple(pair["students"]) for pair in pairs}
    for student, kind in plan.items():
        if kind.startswith("copy of "):
            source = kind.removeprefix("copy of ")
            if tuple(sorted((source, student))) not in flagged:
                problems.append(f"{student} ({kind}) is not flagged as similar")
    return problems


def verdict(ok: bool) -> str:
    return "within" if ok else "OVER"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    options = parser.parse_args()

    course = load_course()
    exercises = course.exercises
    hostile_ok = bwrap_works()
    with tempfile.TemporaryDirectory(prefix="coursekit-bench-class-") as work:
        submissions, out = Path(work) / "submissions", Path(work) / "reports"
        submissions.mkdir()
        plan = build_class(submissions, out, exercises, options.students, hostile_ok)
        kinds = Counter(kind if not kind.startswith("copy of ") else "copy" for kind in plan.values())
        zipped = sum(1 for path in submissions.iterdir() if path.suffix == ".zip")
        print(f"class: {len(plan)} submissions of {len(exercises)} exercises each ({zipped} zipped): "
              + ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items())))
        if not hostile_ok:
            print("bubblewrap is not usable here: no hostile submission (they would succeed without a sandbox)")

        seconds, memory, run = grade_the_class(submissions, out)
        if run.returncode != 0:
            print(run.stdout.decode(errors="replace")[-2000:], run.stderr.decode(errors="replace")[-2000:])
            return 1
        results = [json.loads(path.read_text(encoding="utf-8")) for path in out.glob("*/results.json")]
        statuses = Counter(result["status"] for result in results)
        sandbox = results[0]["sandbox"] if results else "?"
        per_minute = len(plan) / seconds * 60
        print(f"\n== grade-class, {JOBS} jobs, sandbox {sandbox}")
        print(f"wall time {seconds:.1f} s for {len(plan)} submissions: {per_minute:.1f} submissions per minute "
              f"({seconds / len(plan):.2f} s each)")
        print("statuses: " + ", ".join(f"{count} {status}" for status, count in sorted(statuses.items())))
        print(f"peak memory: {memory.total / 2**20:.0f} MiB summed over grade-class and its processes "
              f"(RSS, shared pages counted in each), {memory.single / 2**20:.0f} MiB the largest single process")
        pairs = json.loads((out / similar.JSON_NAME).read_text(encoding="utf-8"))["pairs"]
        print(f"similar code: {len(pairs)} pairs flagged in similarity.csv")
        problems = check_grades(out, plan)
        for problem in problems:
            print(f"WRONG: {problem}")

        # The baseline: a few submissions of the common kinds, unzipped folders, never a hostile one.
        sample: list[tuple[str, Path]] = []
        for kind, count in BASELINE_SAMPLE.items():
            folders = [submissions / student for student, k in plan.items() if k == kind and (submissions / student).is_dir()]
            sample += [(kind, folder) for folder in folders[:count]]
        tests = [exercise.tests for exercise in exercises]
        started = time.perf_counter()
        durations = baseline([folder for _, folder in sample], tests)
        sample_seconds = time.perf_counter() - started
        by_kind: dict[str, list[float]] = {}
        for (kind, _), duration in zip(sample, durations, strict=True):
            by_kind.setdefault(kind, []).append(duration)
        mean = statistics.mean(durations)
        estimate = sum(statistics.mean(by_kind.get(kind, [mean])) * count for kind, count in kinds.items()) / JOBS
        print(f"\n== baseline: one fresh pytest per submission over the {len(tests)} exercises' tests, {JOBS} at a time")
        for kind, values in by_kind.items():
            print(f"{kind:10} {len(values)} sampled: " + ", ".join(f"{value:.1f} s" for value in values))
        not_sampled = sum(count for kind, count in kinds.items() if kind not in by_kind)
        print(f"sample of {len(sample)} took {sample_seconds:.1f} s; extrapolated to the class kind by kind "
              f"({not_sampled} submissions of kinds not sampled counted at the sample's mean, {mean:.1f} s): "
              f"about {estimate:.0f} s, {len(plan) / estimate * 60:.1f} submissions per minute")
        ratio = estimate / seconds
        print(f"ratio fresh pytest (extrapolated) / grade-class (measured): {ratio:.1f}x")

        print()
        targets = [
            (seconds <= TARGET_SECONDS * options.students / 100, f"{len(plan)} submissions in {seconds:.0f} s "
             f"(target {TARGET_SECONDS * options.students / 100:.0f} s)"),
            (ratio >= TARGET_RATIO, f"{ratio:.1f}x the baseline (target {TARGET_RATIO:.0f}x)"),
            (memory.total <= TARGET_BYTES, f"peak memory {memory.total / 2**20:.0f} MiB (target {TARGET_BYTES / 2**20:.0f} MiB)"),
        ]
        for ok, text in targets:
            print(f"{verdict(ok):6} {text}")
        if problems:
            return 1
        return 1 if options.strict and not all(ok for ok, _ in targets) else 0


if __name__ == "__main__":
    sys.exit(main())

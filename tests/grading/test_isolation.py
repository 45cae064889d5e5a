"""One misbehaving exercise never stops the others from being graded, nor the grader itself."""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from coursekit.grading import ExerciseResult, grade, runner
from coursekit.manifest import Course, UnknownExerciseError, load_course

MINI = Path(__file__).parent / "fixtures" / "mini"


def broken_submission(tmp_path: Path, breaks: dict[str, str]) -> Path:
    """A copy of the mini course's solutions with some exercises replaced by ``breaks``."""
    target = Path(shutil.copytree(MINI / "solutions", tmp_path / "submission"))
    for name, source in breaks.items():
        (target / f"{name}.py").write_text(source, encoding="utf-8")
    return target


def comparable(results: dict) -> dict:
    results.pop("graded_at")
    for exercise in results["exercises"]:
        exercise.pop("duration")
    return results


def is_running(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie waiting for a parent to reap it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def test_loop_os_exit_and_syntax_error_leave_the_rest_graded(tmp_path: Path, mini_course: Course) -> None:
    target = broken_submission(
        tmp_path,
        {
            "day1_basics/ex01_add": "def add(a, b):\n    while True:\n        pass\n",
            "day1_basics/ex02_shout": "import os\n\ndef shout(text):\n    os._exit(3)\n",
            "day2_async/ex03_countdown": "async def countdown(n)\n    yield n\n",
        },
    )
    started = time.monotonic()
    report = grade(mini_course, None, target, jobs=2, sandbox="none")
    elapsed = time.monotonic() - started

    statuses = {exercise.name: exercise.status for exercise in report.exercises}
    assert statuses == {
        "day1_basics/ex01_add": "error",
        "day1_basics/ex02_shout": "error",
        "day1_basics/ex04_average": "pass",
        "day2_async/ex03_countdown": "error",
        "day2_async/ex05_echo_words": "pass",
    }
    messages = {exercise.name: exercise.message for exercise in report.exercises}
    assert "2 s of CPU" in messages["day1_basics/ex01_add"]
    assert "os._exit" in messages["day1_basics/ex02_shout"]
    assert "line 1" in messages["day2_async/ex03_countdown"]
    assert report.score == 20 and report.max_score == 55
    assert elapsed < 30, f"grading took {elapsed:.1f} s"


def test_timeout_kills_what_the_exercise_started(tmp_path: Path, mini_course: Course) -> None:
    """A subprocess started by looping student code dies with it: it is in the same process group."""
    pid_file = tmp_path / "sleeper.pid"
    looping = (
        "import subprocess\n"
        "def add(a, b):\n"
        "    sleeper = subprocess.Popen(['sleep', '300'])\n"
        f"    open({str(pid_file)!r}, 'w').write(str(sleeper.pid))\n"
        "    while True:\n"
        "        pass\n"
    )
    target = broken_submission(tmp_path, {"day1_basics/ex01_add": looping})
    (result,) = grade(mini_course, ["ex01"], target, sandbox="none").exercises
    assert result.status == "error"
    sleeper = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while is_running(sleeper) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not is_running(sleeper)


def test_fresh_interpreters_grade_like_forks(mini_course: Course) -> None:
    chosen = ["ex01", "day2_async"]  # sync and async tests; fresh interpreters are slow to start
    forked = grade(mini_course, chosen, "solutions", start="fork", sandbox="none").to_dict()
    spawned = grade(mini_course, chosen, "solutions", start="spawn", sandbox="none").to_dict()
    assert comparable(spawned) == comparable(forked)
    assert forked["status"] == "pass"


def test_a_caller_with_threads_gets_fresh_interpreters(mini_course: Course, monkeypatch: pytest.MonkeyPatch) -> None:
    """fork() copies only the calling thread, so with other threads alive the grader must not fork."""
    spawned: list[int] = []
    real_spawn = runner._spawn

    def counting_spawn(job, write_fd, key):
        spawned.append(1)
        return real_spawn(job, write_fd, key)

    monkeypatch.setattr(runner, "_spawn", counting_spawn)
    stop = threading.Event()
    spinner = threading.Thread(target=stop.wait)
    spinner.start()
    try:
        report = grade(mini_course, ["ex04"], "solutions", sandbox="none")
    finally:
        stop.set()
        spinner.join()
    assert report.status == "pass"
    assert spawned == [1]


def test_results_arrive_as_each_exercise_finishes(mini_course: Course) -> None:
    seen: list[ExerciseResult] = []
    report = grade(mini_course, ["day1_basics"], "solutions", on_result=seen.append)
    assert sorted(result.name for result in seen) == [exercise.name for exercise in report.exercises]
    assert [exercise.name for exercise in report.exercises] == [
        "day1_basics/ex01_add",
        "day1_basics/ex02_shout",
        "day1_basics/ex04_average",
    ]


def test_unknown_exercise_fails_before_grading(mini_course: Course) -> None:
    with pytest.raises(UnknownExerciseError) as raised:
        grade(mini_course, ["ex04_avrage"], "solutions")
    assert raised.value.suggestion == "ex04_average"


def test_no_child_is_left_behind(mini_course: Course, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every child is reaped: no zombie piles up in a long `coursekit watch` session."""
    children: list[int] = []
    real_start = runner._start

    def recording_start(*args):
        run = real_start(*args)
        children.append(run.pid)
        return run

    monkeypatch.setattr(runner, "_start", recording_start)
    grade(mini_course, ["ex01", "ex02"], MINI.parent / "targets" / "os_exit", sandbox="none")
    assert len(children) == 2
    for pid in children:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_printing_without_end_fills_neither_disk_nor_memory(tmp_path: Path, mini_course: Course) -> None:
    """Output captured to a file stops at 64 MiB, output captured in memory (capsys) at 1 GiB."""
    flooding = "def shout(text):\n    while True:\n        print('x' * 1_000_000)\n"
    target = broken_submission(tmp_path, {"day1_basics/ex02_shout": flooding})
    (result,) = grade(mini_course, ["ex02"], target).exercises
    assert [test.status for test in result.tests] == ["fail", "fail"]  # stopped by a limit, not the timeout
    assert "File too large" in result.tests[0].message


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        ("tests/exercises/day1_basics/test_ex02_shout.py", "The tests in tests/exercises/day1_basics/test_ex02_shout.py could not be loaded: SyntaxError"),
        ("empty tests", "No tests were found in tests/exercises/day1_basics/test_ex02_shout.py."),
        ("pyproject.toml", "pytest stopped with exit code 4: ERROR: usage:"),
    ],
)
def test_a_broken_course_is_reported_not_crashed(mini_copy: Path, breakage: str, message: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Course bugs (a broken tests file, an unknown pytest option) get a reason a teacher can act on.

    In plain text: colours forced on the grading machine must not reach the reason.
    """
    monkeypatch.setenv("PY_COLORS", "1")
    tests_file = mini_copy / "tests/exercises/day1_basics/test_ex02_shout.py"
    if breakage == "empty tests":
        tests_file.write_text('"""Nothing here yet."""\n')
    elif breakage == "pyproject.toml":
        config = mini_copy / "pyproject.toml"
        config.write_text(config.read_text().replace("--benchmark-disable", "--no-such-option"))
    else:
        tests_file.write_text("def test_broken(:\n")
    report = grade(load_course(mini_copy), ["ex02", "ex04"], "solutions", lang="en")
    broken, other = report.exercises
    assert broken.status == "error" and broken.message.startswith(message), broken.message
    assert other.status == ("error" if breakage == "pyproject.toml" else "pass")

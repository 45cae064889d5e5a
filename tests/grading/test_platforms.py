"""Gradescope and GitHub Classroom: the bundle's ``run_autograder`` grades a simulated ``/autograder``
tree, and ``classroom report`` gives the step output Classroom's reporter reads.

The field lists below are the platforms' documented ones, written out here rather than imported,
so that a change in :mod:`coursekit.platforms` cannot move the goalposts: Gradescope's "Autograder
Specifications" (results.json) and the command grader's ``result`` that the Classroom reporter
decodes (``classroom-resources/autograding-command-grader`` and ``-grading-reporter``). One day-1
solution and one day-1 template are graded, once by ``coursekit check`` and once by the bundle.
"""

from __future__ import annotations

import base64
import json
import os
import pwd
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from coursekit.cli import app
from coursekit.grading.results import ExerciseResult, Report, TestResult
from coursekit.manifest import Course, load_course
from coursekit.platforms.gradescope import BundleConfig, GradescopeError, grade_submission, stage_submission

REPO_ROOT = Path(__file__).resolve().parents[2]
SOLVED = "day1_stream/ex01_print_stream"
TODO = "day1_stream/ex02_collect_stream"
#: Gradescope's documented values of a test's "visibility", and of its "status".
GRADESCOPE_VISIBILITIES = {"visible", "hidden", "after_due_date", "after_published"}
GRADESCOPE_STATUSES = {"passed", "failed"}
#: What the command grader puts in each test of its ``result``, and the statuses the reporter knows.
CLASSROOM_TEST_FIELDS = {"name", "status", "score", "message", "test_code", "filename", "line_no", "duration"}
CLASSROOM_STATUSES = {"pass", "fail", "error"}
Number = (int, float)


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course(REPO_ROOT)


def coursekit(*args: str) -> Any:
    return CliRunner().invoke(app, ["--root", str(REPO_ROOT), *args], env={"COLUMNS": "200"})


def write_submission(folder: Path) -> Path:
    """What a student uploads: their repository, with one exercise done and the next one untouched."""
    for name, source in ((SOLVED, "solutions"), (TODO, "exercises")):
        file = folder / "my-course" / "exercises" / f"{name}.py"
        file.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO_ROOT / source / f"{name}.py", file)
    return folder / "my-course" / "exercises"


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """``coursekit check --json`` on the submission: what both platforms must agree with."""
    folder = write_submission(tmp_path_factory.mktemp("check"))
    out = folder.parent / "results.json"
    result = coursekit("check", SOLVED, TODO, "--target", str(folder), "--json", str(out), "--sandbox", "none", "--lang", "en")
    assert result.exit_code == 1, result.output  # the template fails
    return json.loads(out.read_text(encoding="utf-8"))


# --- Gradescope ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundle") / "autograder.zip"
    # No bubblewrap here: inside it the venv's editable coursekit (this checkout) is not mounted;
    # on Gradescope setup.sh installs the bundle's own copy, which is.
    result = coursekit("gradescope", "build", SOLVED, TODO, "--out", str(out), "--sandbox", "none", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "2 exercise(s), 20 points" in result.output
    return out


def test_the_bundle_holds_the_two_scripts_the_grader_and_the_tests_but_no_answers(bundle: Path):
    with zipfile.ZipFile(bundle) as archive:
        names = set(archive.namelist())
        modes = {info.filename: (info.external_attr >> 16) & 0o777 for info in archive.infolist()}
        config = json.loads(archive.read("coursekit-gradescope.json"))
    assert {"setup.sh", "run_autograder"} <= names  # at the root of the zip, as Gradescope requires
    assert modes["setup.sh"] & stat.S_IXUSR and modes["run_autograder"] & stat.S_IXUSR
    assert {"course/course.toml", "course/pyproject.toml", "course/requirements.txt", "course/coursekit/__init__.py",
            "course/tests/conftest.py", f"course/tests/exercises/day1_stream/test_{SOLVED.split('/')[1]}.py"} <= names
    assert not [name for name in names if name.startswith(("course/solutions/", "course/tests/corpus/")) or "__pycache__" in name]
    assert config == {"exercises": [SOLVED, TODO], "lang": "en", "visibility": "visible", "sandbox": "none"}
    for script in ("setup.sh", "run_autograder"):
        with zipfile.ZipFile(bundle) as archive:
            syntax = subprocess.run(["bash", "-n"], input=archive.read(script), capture_output=True, timeout=30)
        assert syntax.returncode == 0, syntax.stderr


def unpack_like_gradescope(bundle: Path, autograder: Path, submission: Path) -> None:
    """The image build (zip in source/, run_autograder copied up), then a submission's download."""
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(autograder / "source")
    shutil.copyfile(autograder / "source" / "run_autograder", autograder / "run_autograder")
    shutil.copytree(submission, autograder / "submission")


def test_run_autograder_grades_the_submission_into_gradescopes_results_json(bundle: Path, checked: dict[str, Any],
                                                                             course: Course, tmp_path: Path):
    autograder = tmp_path / "autograder"
    unpack_like_gradescope(bundle, autograder, write_submission(tmp_path / "upload").parent)
    env = {**os.environ, "COURSEKIT_AUTOGRADER": str(autograder), "COURSEKIT_PYTHON": sys.executable,
           "COURSEKIT_GRADER_USER": "root"}  # nobody cannot run this venv's Python (under /root); see the drop test
    run = subprocess.run(["bash", str(autograder / "run_autograder")], env=env, cwd=autograder, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    results = json.loads((autograder / "results" / "results.json").read_text(encoding="utf-8"))

    assert isinstance(results["score"], Number) and isinstance(results["execution_time"], Number)
    assert isinstance(results["output"], str) and isinstance(results["tests"], list)
    for test in results["tests"]:
        assert isinstance(test["name"], str) and isinstance(test["output"], str)
        assert isinstance(test["score"], Number) and isinstance(test["max_score"], Number)
        assert 0 <= test["score"] <= test["max_score"]
        assert test["status"] in GRADESCOPE_STATUSES and test["visibility"] in GRADESCOPE_VISIBILITIES
    assert sum(test["score"] for test in results["tests"]) == pytest.approx(results["score"], abs=1e-9)

    solved, todo = results["tests"]
    assert solved["name"].startswith(SOLVED) and todo["name"].startswith(TODO)
    assert (solved["status"], solved["score"], solved["max_score"]) == ("passed", course.exercise(SOLVED).points, 10)
    assert (todo["status"], todo["score"]) == ("failed", 0)
    assert "Not done yet" in todo["output"]  # the student reads why, check by check
    # The same points as `coursekit check` on the same files.
    assert [test["score"] for test in results["tests"]] == [exercise["score"] for exercise in checked["exercises"]]
    assert results["score"] == checked["score"] and results["extra_data"]["coursekit"]["sandbox"] == "none"


def test_the_submitted_files_are_found_wherever_the_student_put_them(course: Course, tmp_path: Path):
    submission = tmp_path / "submission"
    nested = submission / "download" / "exercises" / "day1_stream"
    nested.mkdir(parents=True)
    (nested / "ex01_print_stream.py").write_text("nested = True\n", encoding="utf-8")
    (submission / "ex01_print_stream.py").write_text("loose = True\n", encoding="utf-8")  # the day folder wins
    (submission / "ex02_collect_stream.py").write_text("loose = True\n", encoding="utf-8")  # a loose file counts
    (submission / "ex03_concurrent_streams.py").symlink_to("/etc/passwd")  # never followed
    exercises = [course.exercise(name) for name in (SOLVED, TODO, "day1_stream/ex03_concurrent_streams")]
    staged = tmp_path / "staged"
    staged.mkdir()
    found = stage_submission(submission, course, exercises, staged)
    assert found == [SOLVED, TODO]
    assert (staged / f"{SOLVED}.py").read_text(encoding="utf-8") == "nested = True\n"
    assert (staged / f"{TODO}.py").read_text(encoding="utf-8") == "loose = True\n"
    assert not (staged / "day1_stream" / "ex03_concurrent_streams.py").exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="only root drops privileges")
def test_a_root_grader_without_bubblewrap_grades_as_nobody(course: Course, monkeypatch: pytest.MonkeyPatch):
    """Graded code then cannot write the results file or change the bundle: it runs as ``nobody``."""
    monkeypatch.delenv("COURSEKIT_GRADER_USER", raising=False)
    folder = Path(tempfile.mkdtemp(prefix="coursekit-drop-"))  # pytest's tmp_path is root's alone
    try:
        folder.chmod(0o755)
        fake_python = folder / "python"  # stands in for the grader: says who it runs as, in JSON
        report = '{"version": 3, "exercises": [{"name": "%s"}], "uid": %s, "args": "%s"}'
        fake_python.write_text(f"#!/bin/sh\nprintf '{report}' '{SOLVED}' \"$(id -u)\" \"$*\"\n", encoding="utf-8")
        fake_python.chmod(0o755)
        config = BundleConfig([SOLVED], "pt", sandbox="none")
        answer = grade_submission(course, config, folder, python=str(fake_python))
    finally:
        shutil.rmtree(folder)
    assert answer["uid"] == pwd.getpwnam("nobody").pw_uid != 0
    assert f"check {SOLVED} --target {folder} --json - --sandbox none --lang pt" in answer["args"]


@pytest.mark.parametrize("answer", ['{"version": 3, "exercises": []}\n{"version": 3, "exercises": []}', '{"version": 3, "exercises": []}',
                                    "oops"])
def test_a_grader_output_that_is_not_one_report_of_the_exercises_asked_for_is_no_grade(answer: str, course: Course, tmp_path: Path,
                                                                                      monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("COURSEKIT_GRADER_USER", "root")  # the fake grader lives in root's tmp_path
    fake_python = tmp_path / "python"
    fake_python.write_text(f"#!/bin/sh\ncat <<'EOF'\n{answer}\nEOF\nexit 1\n", encoding="utf-8")
    fake_python.chmod(0o755)
    with pytest.raises(GradescopeError, match="gave no grade"):
        grade_submission(course, BundleConfig([SOLVED], "en", sandbox="none"), tmp_path, python=str(fake_python))


def synthetic_results() -> dict[str, Any]:
    """A results.json (v3) with partial credit, an all-or-nothing exercise and an error, from the real classes."""
    partial = ExerciseResult(SOLVED, 10, [TestResult("a", "pass", task_id=1), TestResult("b", "fail", "no", task_id=2),
                                          TestResult("c", "pass", task_id=3)])
    whole = ExerciseResult(TODO, 10, [TestResult("d", "pass"), TestResult("e", "fail", "wrong")], all_or_nothing=True)
    broken = ExerciseResult("day1_stream/ex03_concurrent_streams", 5, [], problem="SyntaxError at line 3")
    return Report([partial, whole, broken], "en").to_dict()


def test_gradescope_points_are_the_exercises_points_partial_credit_included(course: Course):
    from coursekit.platforms.gradescope import to_gradescope

    results = synthetic_results()
    output = to_gradescope(results, course, lang="en", visibility="after_due_date", execution_time=3.4)
    assert [test["score"] for test in output["tests"]] == [6.67, 0, 0]
    assert [test["max_score"] for test in output["tests"]] == [10, 10, 5]
    assert output["score"] == results["score"] == 6.67
    assert {test["visibility"] for test in output["tests"]} == {"after_due_date"}
    assert [test["status"] for test in output["tests"]] == ["failed"] * 3
    assert "SyntaxError at line 3" in output["tests"][2]["output"] and output["execution_time"] == 3


def test_gradescope_build_refuses_an_unknown_visibility():
    result = coursekit("gradescope", "build", SOLVED, "--visibility", "later")
    assert result.exit_code == 2 and "after_published" in result.output


# --- GitHub Classroom -------------------------------------------------------------------------------


def decode(line: str) -> dict[str, Any]:
    """What the reporter does with the step output: base64, then JSON."""
    key, value = line.strip().split("=", 1)
    assert key == "result"
    return json.loads(base64.b64decode(value, validate=True).decode("utf-8"))


def check_reporter_schema(report: dict[str, Any]) -> None:
    assert report["version"] == 1 and report["status"] in CLASSROOM_STATUSES
    assert isinstance(report["max_score"], Number) and isinstance(report["tests"], list)
    for test in report["tests"]:
        assert set(test) == CLASSROOM_TEST_FIELDS
        assert test["status"] in CLASSROOM_STATUSES and isinstance(test["score"], Number)
        assert isinstance(test["line_no"], int) and isinstance(test["duration"], int)


def test_classroom_report_gives_the_reporter_the_points_of_coursekit_check(checked: dict[str, Any], tmp_path: Path):
    results = tmp_path / "results.json"
    results.write_text(json.dumps(checked), encoding="utf-8")
    result = coursekit("classroom", "report", str(results))
    assert result.exit_code == 0, result.output
    report = decode(result.stdout)
    check_reporter_schema(report)
    # The reporter sends the sum of the tests' scores as the points, and max_score as the maximum.
    assert sum(test["score"] for test in report["tests"]) == checked["score"] == 10
    assert report["max_score"] == checked["max_score"] == 20 and report["status"] == "fail"
    solved, todo = report["tests"]
    assert (solved["name"], solved["status"], solved["score"]) == (SOLVED, "pass", 10)
    assert (todo["name"], todo["status"], todo["score"]) == (TODO, "fail", 0)
    assert "Not done yet" in todo["message"] and todo["filename"] == f"exercises/{TODO}.py"


def test_classroom_report_keeps_partial_credit_and_errors():
    from coursekit.platforms.classroom import step_output

    report = decode(step_output(synthetic_results()))
    check_reporter_schema(report)
    assert [test["score"] for test in report["tests"]] == [6.67, 0, 0]
    assert [test["status"] for test in report["tests"]] == ["fail", "fail", "error"]
    assert report["status"] == "error" and report["max_score"] == 25
    assert "SyntaxError at line 3" in report["tests"][2]["message"]


def test_classroom_report_of_a_missing_or_foreign_file_is_one_line(tmp_path: Path):
    missing = coursekit("classroom", "report", str(tmp_path / "nope.json"))
    (tmp_path / "other.json").write_text('{"tests": []}', encoding="utf-8")
    foreign = coursekit("classroom", "report", str(tmp_path / "other.json"))
    for result in (missing, foreign):
        assert result.exit_code == 1 and "Traceback" not in result.output and len(result.stderr.strip().splitlines()) == 1


def actionlint(path: Path) -> subprocess.CompletedProcess[str]:
    binary = Path(sys.executable).with_name("actionlint")
    if not binary.exists() and sys.platform != "linux":
        pytest.skip("requirements.txt installs actionlint on Linux only (its wheels), where CI runs")
    return subprocess.run([str(binary), "-no-color", str(path)], capture_output=True, text=True, timeout=60)


def test_classroom_init_writes_a_workflow_the_reporter_and_actionlint_accept(tmp_path: Path):
    shutil.copyfile(REPO_ROOT / "course.toml", tmp_path / "course.toml")
    result = CliRunner().invoke(app, ["--root", str(tmp_path), "classroom", "init", "day1_stream", "--lang", "pt"])
    assert result.exit_code == 0, result.output
    path = tmp_path / ".github" / "workflows" / "classroom.yml"
    lint = actionlint(path)
    assert lint.returncode == 0, lint.stdout + lint.stderr

    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert workflow["name"] == "Autograding Tests" and list(workflow["jobs"]) == ["run-autograding-tests"]
    steps = workflow["jobs"]["run-autograding-tests"]["steps"]
    grading = next(step for step in steps if "coursekit check" in step.get("run", ""))
    reporter = next(step for step in steps if step.get("uses", "").startswith("classroom-resources/autograding-grading-reporter@"))
    # The reporter reads env <RUNNER>_RESULTS for each id in `runners`: the grading step's output `result`.
    assert reporter["with"]["runners"] == grading["id"]
    assert reporter["env"] == {f"{grading['id'].upper()}_RESULTS": f"${{{{ steps.{grading['id']}.outputs.result }}}}"}
    assert "--json results.json" in grading["run"] and "classroom report results.json >> \"$GITHUB_OUTPUT\"" in grading["run"]
    assert "day1_stream/ex05_buffered_display" in grading["run"] and "--lang pt" in grading["run"]

    # actionlint can fail: the same workflow reading a step that does not exist is refused.
    broken = tmp_path / "broken.yml"
    broken.write_text(path.read_text(encoding="utf-8").replace(f"steps.{grading['id']}.outputs", "steps.nowhere.outputs"),
                      encoding="utf-8")
    assert actionlint(broken).returncode != 0

    again = CliRunner().invoke(app, ["--root", str(tmp_path), "classroom", "init", "day1_stream/ex01"])
    assert again.exit_code == 1 and "--force" in again.output
    forced = CliRunner().invoke(app, ["--root", str(tmp_path), "classroom", "init", "day1_stream/ex01", "--force"])
    assert forced.exit_code == 0 and "day1_stream/ex05" not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(("command", "lang", "expected"), [("gradescope", "pt", "Para professores: corrija no Gradescope"),
                                                           ("classroom init", "id", "Menulis .github/workflows/classroom.yml")])
def test_the_instructor_commands_speak_the_requested_language(command: str, lang: str, expected: str):
    """Help is chosen when the CLI is imported, so each case runs in a fresh interpreter."""
    result = subprocess.run([sys.executable, "-m", "coursekit", *command.split(), "--help", "--lang", lang], capture_output=True,
                            text=True, timeout=60, cwd=REPO_ROOT, env={**os.environ, "COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout
    assert not re.findall(r"\b(Usage|Options|Commands|Arguments)\b|Show this message", result.stdout), result.stdout

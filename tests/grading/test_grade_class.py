"""``coursekit grade-class`` end to end, on a small class built from the course's own files.

The class holds the reference solutions, the templates, right and wrong solutions from the
corpus, a hostile submission, a crash, an endless wait, and zips that are wrapped, escaping
(zip-slip, a link), too big, too many files, empty or not zips at all. Only two day-1 exercises
are graded, under a short clock limit, so the whole class takes seconds. Each grade is checked
against the course's grader on that student alone (``coursekit check``), never a number written here.
"""

from __future__ import annotations

import csv
import io
import json
import signal
import stat
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from coursekit.atomic import PARTIAL_PREFIX
from coursekit.grade_class.gradebook import Row
from coursekit.grade_class.submissions import MAX_MEMBERS, MAX_UNPACKED_BYTES
from coursekit.grading.sandbox import bwrap_works
from coursekit.i18n import t
from coursekit.manifest import REPO_ROOT

EX01 = "day1_stream/ex01_print_stream"
EX02 = "day1_stream/ex02_collect_stream"
EXERCISES = [EX01, EX02]
CORPUS = REPO_ROOT / "tests" / "corpus"
WALL_LIMIT = 8
SANDBOX = "bwrap" if bwrap_works() else "none"
#: A hostile submission is only graded where the sandbox can stop it: without one it would succeed.
needs_bwrap = pytest.mark.skipif(SANDBOX != "bwrap", reason="bubblewrap is not usable here")

HIDDEN_TEST = '''
from coursekit.testing import ProbeModel


def test_instructor_one_word(exercise):
    """A one-word answer comes back whole (instructor)

    pt: Uma resposta de uma palavra volta inteira (instrutor)
    id: Jawaban satu kata kembali utuh (instruktur)
    """
    text, _, _ = exercise.collect_stream(ProbeModel(rules={"hi": "Hello."}, token_delay=0), "hi")
    assert text == "Hello."
'''
HIDDEN_NAME = "A one-word answer comes back whole (instructor)"

HOSTILE = '''
"""Print_stream that tries to change grades instead of streaming."""
import json
from pathlib import Path

FORGED = {{"version": 3, "status": "pass", "score": 1000, "max_score": 20, "exercises": []}}
ATTEMPTS = [
    Path({report!r}) / "alice" / "results.json",
    Path({report!r}) / "eve" / "results.json",
    Path({report!r}) / "grades.csv",
    Path({tests!r}) / "day1_stream" / "test_ex02_collect_stream.py",
    Path.cwd() / "tests" / "exercises" / "day1_stream" / "test_ex01_print_stream.py",
    Path.cwd() / "course.toml",
]
for path in ATTEMPTS:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("def test_everything_passes():\\n    pass\\n" if path.suffix == ".py" else json.dumps(FORGED))
    except OSError:
        pass


def print_stream(model, prompt):
    return ""
'''
CRASH = '''
import os
import signal


def print_stream(model, prompt):
    os.kill(os.getpid(), signal.SIGSEGV)
'''
ENDLESS_WAIT = '''
import time


def print_stream(model, prompt):
    while True:
        time.sleep(0.05)
'''


def solution(name: str) -> str:
    return (REPO_ROOT / "solutions" / f"{name}.py").read_text(encoding="utf-8")


def template(name: str) -> str:
    return (REPO_ROOT / "exercises" / f"{name}.py").read_text(encoding="utf-8")


def corpus(name: str, file: str) -> str:
    text = (CORPUS / name / file).read_text(encoding="utf-8")
    assert text, file
    return text


def write_student(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / f"{name}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def zip_folder(folder: Path, archive: Path, prefix: str = "") -> None:
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for path in sorted(folder.rglob("*.py")):
            zipped.write(path, prefix + path.relative_to(folder).as_posix())


def grade_class(submissions: Path, out: Path, *extra: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(class_command(submissions, out, *extra), cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout)


def class_command(submissions: Path, out: Path, *extra: str) -> list[str]:
    only = [argument for name in EXERCISES for argument in ("--only", name)]
    return [sys.executable, "-m", "coursekit", "grade-class", str(submissions), "--out", str(out), "--sandbox", SANDBOX,
            "--lang", "en", *only, *extra]


def checked_alone(target: Path, *names: str) -> dict:
    """What ``coursekit check`` gives this student's folder on its own."""
    found = subprocess.run([sys.executable, "-m", "coursekit", "check", *(names or EXERCISES), "--target", str(target),
                            "--sandbox", SANDBOX, "--lang", "en", "--json", "-"], cwd=REPO_ROOT, capture_output=True,
                           text=True, timeout=600)
    assert found.returncode in (0, 1), found.stderr
    return json.loads(found.stdout)


@dataclass
class GradedClass:
    root: Path
    sources: Path
    submissions: Path
    tests: Path
    out: Path
    run: subprocess.CompletedProcess[str]

    def results(self, student: str) -> dict:
        return json.loads((self.out / student / "results.json").read_text(encoding="utf-8"))

    def exercise(self, student: str, name: str) -> dict:
        return next(exercise for exercise in self.results(student)["exercises"] if exercise["name"] == name)

    def csv_rows(self) -> dict[str, dict[str, str]]:
        with (self.out / "grades.csv").open(encoding="utf-8", newline="") as file:
            return {row["student"]: row for row in csv.DictReader(file)}


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> GradedClass:
    root = tmp_path_factory.mktemp("class")
    sources, submissions, tests, out = root / "sources", root / "submissions", root / "instructor_tests", root / "reports"
    submissions.mkdir()
    (tests / "day1_stream").mkdir(parents=True)
    hidden_file = tests / "day1_stream" / "test_ex02_collect_stream.py"
    hidden_file.write_text(HIDDEN_TEST, encoding="utf-8")

    write_student(submissions / "alice", {EX01: solution(EX01), EX02: solution(EX02)})
    bob = write_student(sources / "bob", {EX01: corpus(EX01, "right_stdout_write.py"), EX02: corpus(EX02, "wrong_reads_the_last_chunk.py")})
    zip_folder(bob, submissions / "bob.zip")
    write_student(submissions / "carol", {EX01: template(EX01), EX02: template(EX02)})
    dave = write_student(sources / "dave", {EX01: corpus(EX01, "wrong_prints_after_the_loop.py"), EX02: solution(EX02)})
    (submissions / "dave").mkdir()  # as Moodle lays it out: a folder per student holding the zip they uploaded
    zip_folder(dave, submissions / "dave" / "dave_assignsubmission_file_work.zip", prefix="dave/exercises/")
    if SANDBOX == "bwrap":
        write_student(submissions / "eve", {EX01: HOSTILE.format(report=str(out), tests=str(tests)), EX02: template(EX02)})
    write_student(submissions / "frank", {EX01: CRASH, EX02: solution(EX02)})
    write_student(submissions / "gina", {EX01: ENDLESS_WAIT, EX02: solution(EX02)})
    write_student(submissions / "zed", {EX01: template(EX01), EX02: template(EX02)})  # graded after eve

    with zipfile.ZipFile(submissions / "slip.zip", "w") as zipped:
        zipped.writestr("day1_stream/ex01_print_stream.py", solution(EX01))
        zipped.writestr("../../escaped.py", "print('out of the folder')\n")
    with zipfile.ZipFile(submissions / "link.zip", "w") as zipped:
        link = zipfile.ZipInfo("day1_stream/ex02_collect_stream.py")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zipped.writestr(link, "/etc/passwd")
    with zipfile.ZipFile(submissions / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as zipped:
        with zipped.open("day1_stream/ex01_print_stream.py", "w", force_zip64=True) as member:
            zeros = b"\0" * (1024 * 1024)
            for _ in range(MAX_UNPACKED_BYTES // len(zeros) + 1):
                member.write(zeros)
    with zipfile.ZipFile(submissions / "many.zip", "w") as zipped:
        for number in range(MAX_MEMBERS + 1):
            zipped.writestr(f"day1_stream/f{number}.py", "")
    zipfile.ZipFile(submissions / "empty.zip", "w").close()
    (submissions / "junk.zip").write_bytes(b"this is not a zip file\n" * 10)

    run = grade_class(submissions, out, "--tests", str(tests), "--jobs", "2", "--wall-limit", str(WALL_LIMIT))
    assert run.returncode == 0, run.stdout + run.stderr
    return GradedClass(root, sources, submissions, tests, out, run)


def test_every_submission_has_a_row_and_a_results_json(graded: GradedClass):
    students = {"alice", "bob", "carol", "dave", "frank", "gina", "zed", "slip", "link", "bomb", "many", "empty", "junk"}
    students |= {"eve"} if SANDBOX == "bwrap" else set()
    assert set(graded.csv_rows()) == students
    for student in students:
        results = graded.results(student)
        assert results["version"] == 3 and results["target"] == student
        assert [exercise["name"] for exercise in results["exercises"]] == EXERCISES
    assert not list(graded.out.rglob(f"{PARTIAL_PREFIX}*"))


def test_solutions_earn_every_point_and_templates_none(graded: GradedClass):
    alice, carol = graded.results("alice"), graded.results("carol")
    assert alice["status"] == "pass" and alice["score"] == alice["max_score"] > 0
    assert carol["status"] == "fail" and carol["score"] == 0
    assert graded.results("zed")["score"] == 0


@pytest.mark.parametrize("student", ["bob", "dave"])
def test_grades_agree_with_check_on_the_student_alone(graded: GradedClass, student: str):
    """Zipped (dave's zip in a folder, wrapped in dave/exercises/): the same tests, statuses and points as ``coursekit check``."""
    alone = checked_alone(graded.sources / student)
    graded_ex01, alone_ex01 = graded.exercise(student, EX01), alone["exercises"][0]
    assert [(test["name"], test["status"], test["score"]) for test in graded_ex01["tests"]] == \
           [(test["name"], test["status"], test["score"]) for test in alone_ex01["tests"]]
    assert graded_ex01["score"] == alone_ex01["score"]
    # ex02 has one hidden test more; the visible ones end exactly as check's.
    visible = [(test["name"], test["status"]) for test in graded.exercise(student, EX02)["tests"] if test["visibility"] == "visible"]
    assert visible == [(test["name"], test["status"]) for test in alone["exercises"][1]["tests"]]
    row = graded.csv_rows()[student]
    assert float(row["total"]) == graded.results(student)["score"]
    assert float(row[EX01]) == alone_ex01["score"]


def test_a_wrong_solution_earns_partial_credit(graded: GradedClass):
    bob = graded.exercise("bob", EX02)
    assert bob["status"] == "fail" and 0 < bob["score"] < bob["max_score"]


def test_instructor_tests_are_graded_and_marked_hidden(graded: GradedClass):
    for student, status in [("alice", "pass"), ("carol", "fail")]:
        tests = graded.exercise(student, EX02)["tests"]
        hidden = [test for test in tests if test["visibility"] == "hidden"]
        assert [(test["name"], test["status"]) for test in hidden] == [(HIDDEN_NAME, status)]
        assert all(test["visibility"] == "visible" for test in graded.exercise(student, EX01)["tests"])
    rows = graded.csv_rows()
    assert float(rows["alice"]["hidden"]) > 0 and float(rows["carol"]["hidden"]) == 0
    assert float(rows["alice"]["visible"]) + float(rows["alice"]["hidden"]) == float(rows["alice"]["total"])


def test_a_crash_or_an_endless_wait_costs_only_that_exercise(graded: GradedClass):
    frank, gina = graded.exercise("frank", EX01), graded.exercise("gina", EX01)
    assert frank["status"] == "error" and frank["score"] == 0
    assert t("grading.crashed_signal", "en", signal=signal.Signals.SIGSEGV.name) in frank["message"]
    assert gina["status"] == "error" and gina["score"] == 0
    assert t("grading.timeout", "en", seconds=WALL_LIMIT) in gina["message"]
    for student in ("frank", "gina"):
        other = graded.exercise(student, EX02)
        assert other["status"] == "pass" and other["score"] == other["max_score"]


@needs_bwrap
def test_a_hostile_submission_changes_no_grade_not_even_its_own(graded: GradedClass):
    eve = graded.results("eve")
    assert eve["score"] == 0 and graded.exercise("eve", EX01)["status"] == "fail"
    assert graded.results("alice")["score"] == graded.results("alice")["max_score"] < 1000
    assert (graded.tests / "day1_stream" / "test_ex02_collect_stream.py").read_text(encoding="utf-8") == HIDDEN_TEST
    assert graded.results("zed")["score"] == 0  # the tests it tried to replace still fail a template


BAD_ZIPS = {
    "slip": ("cli.class_zip_slip", {"member": "../../escaped.py"}),
    "link": ("cli.class_zip_link", {"member": "day1_stream/ex02_collect_stream.py"}),
    "bomb": ("cli.class_zip_too_big", {"megabytes": f"{(MAX_UNPACKED_BYTES // 2**20 + 1):.1f}",
                                       "limit": f"{MAX_UNPACKED_BYTES / 2**20:.1f}"}),
    "many": ("cli.class_zip_too_many_files", {"count": MAX_MEMBERS + 1, "limit": MAX_MEMBERS}),
    "empty": ("cli.class_empty", {}),
    "junk": ("cli.class_unreadable", {"detail": "BadZipFile: File is not a zip file"}),
}


@pytest.mark.parametrize("student", list(BAD_ZIPS))
def test_a_bad_zip_is_one_error_row_and_nothing_escapes(graded: GradedClass, student: str):
    key, values = BAD_ZIPS[student]
    row = graded.csv_rows()[student]
    assert (row["status"], row["total"], row["message"]) == ("error", "0", t(key, "en", **values))
    assert [row[name] for name in EXERCISES] == ["0", "0"]
    assert graded.results(student)["message"] == row["message"]
    assert not list(graded.root.parent.rglob("escaped.py"))


def test_junit_has_one_suite_per_student_with_each_test(graded: GradedClass):
    tree = ET.parse(graded.out / "junit.xml")
    suites = {suite.get("name"): suite for suite in tree.getroot().iter("testsuite")}
    assert set(suites) == set(graded.csv_rows())
    bob = suites["bob"]
    tests = [test for exercise in graded.results("bob")["exercises"] for test in exercise["tests"]]
    assert int(bob.get("tests")) == len(bob.findall("testcase")) == len(tests)
    assert int(bob.get("failures")) == len(bob.findall("testcase/failure")) == sum(test["status"] == "fail" for test in tests) > 0
    hidden = [case for case in bob.iter("testcase") if case.find("properties/property[@name='visibility']").get("value") == "hidden"]
    assert [case.get("name") for case in hidden] == [HIDDEN_NAME]
    assert suites["junk"].find("testcase/error") is not None


def test_html_report_is_one_page_with_the_class_figures(graded: GradedClass):
    page = (graded.out / "report.html").read_text(encoding="utf-8")

    class Collector(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.ids: set[str] = set()
            self.external: list[str] = []
            self.in_data = False
            self.data = ""

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            values = dict(attrs)
            if values.get("id"):
                self.ids.add(values["id"] or "")
            if values.get("src") or values.get("href") or tag in ("link", "img", "iframe"):
                self.external.append(tag)
            self.in_data = values.get("id") == "chart-data"

        def handle_data(self, data: str) -> None:
            self.data += data if self.in_data else ""

    collector = Collector()
    collector.feed(page)
    assert {"histogram", "pass-rate-chart", "pass-rate", "slowest", "not-graded", "chart-data"} <= collector.ids
    assert collector.external == []
    figures = json.loads(collector.data)
    graded_rows = [row for row in (Row(student, graded.results(student)) for student in graded.csv_rows()) if row.graded]
    assert len(figures["histogram"]["counts"]) == 10 and sum(figures["histogram"]["counts"]) == len(graded_rows) < len(graded.csv_rows())
    assert figures["histogram"]["counts"][-1] == sum(row.report["score"] == row.report["max_score"] > 0 for row in graded_rows)
    assert figures["rates"]["labels"] == list(EXERCISES)
    assert "Chart.js v4.6.1" in page and "sourceMappingURL" not in page
    assert EX01 in page and EX02 in page
    assert t("cli.class_html_hidden", "en") in page  # carol's failing hidden test is among the failures


class FailureTables(HTMLParser):
    """The report's failure tables: exercise -> [(count, message), ...] as the page shows them."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[tuple[int, str]]] = {}
        self._exercise: str | None = None
        self._in: str | None = None
        self._cells: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h3":
            self._in = "h3"
        elif tag == "tr":
            self._cells = []
        elif tag == "td":
            self._in = "td"
            self._cells.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr" and self._exercise is not None and len(self._cells) == 2 and self._cells[0].strip().isdigit():
            self.tables[self._exercise].append((int(self._cells[0]), self._cells[1].strip()))
        if tag in ("h3", "td"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "h3":
            self._exercise = data.strip()
            self.tables[self._exercise] = []
        elif self._in == "td":
            self._cells[-1] += data


def test_html_failure_messages_are_counted_once_per_graded_student(graded: GradedClass):
    parser = FailureTables()
    parser.feed((graded.out / "report.html").read_text(encoding="utf-8"))
    assert set(parser.tables) == set(EXERCISES)
    rows = [Row(path.parent.name, graded.results(path.parent.name)) for path in graded.out.glob("*/results.json")]
    for name, shown in parser.tables.items():
        assert shown, name
        for count, message in shown[:3]:
            shown_line = message.removesuffix(t("cli.class_html_hidden", "en")).strip()

            def same(test: dict, shown_line: str = shown_line) -> bool:
                line = ((test["message"] or "").strip().splitlines() or [""])[0]
                return line == shown_line or (shown_line.endswith("…") and line.startswith(shown_line[:-1]))

            students = {row.student for row in rows if row.graded and any(
                test["status"] != "pass" and same(test) for test in row.exercises[name]["tests"])}
            assert count == len(students) > 0, (name, message)
        assert [count for count, _ in shown] == sorted((count for count, _ in shown), reverse=True)


@pytest.mark.browser
def test_html_report_in_a_real_browser_offline(graded: GradedClass):
    """Chromium opens the file with every request but the file refused: the charts are drawn and the rates are the class's."""
    from coursekit.testing.browser import chromium_page

    requested: list[str] = []
    with chromium_page(viewport={"width": 1200, "height": 900}) as page:
        def refuse_the_network(route):
            requested.append(route.request.url)
            return route.continue_() if route.request.url.startswith("file://") else route.abort()

        page.route("**/*", refuse_the_network)
        page.goto((graded.out / "report.html").as_uri())
        drawn = page.evaluate("""() => ["histogram", "pass-rate-chart"].map((id) => {
            const canvas = document.getElementById(id), chart = Chart.getChart(canvas);
            const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
            return {bars: chart.getDatasetMeta(0).data.length, data: chart.data.datasets[0].data,
                    inked: pixels.filter((value, index) => index % 4 === 3 && value > 0).length};
        })""")
        histogram, rates = drawn
        assert rates["bars"] == len(EXERCISES) and rates["inked"] > 1000
        assert page.locator("#histogram").bounding_box()["height"] > 100
        cells = page.locator("#pass-rate tr td:nth-child(2)").all_inner_texts()
        students = [path.parent.name for path in graded.out.glob("*/results.json")
                    if Row(path.parent.name, graded.results(path.parent.name)).graded]
        assert "alice" in students and "junk" not in students
        assert histogram["bars"] == 10 and sum(histogram["data"]) == len(students) and histogram["inked"] > 1000
        expected = []
        for name in EXERCISES:
            statuses = [graded.exercise(student, name)["status"] for student in students]
            expected.append(f"{statuses.count('pass')}/{len(statuses)}")
        assert cells == expected
    assert requested == [(graded.out / "report.html").as_uri()]


def test_resume_grades_only_what_is_missing(graded: GradedClass):
    before = {path: path.read_bytes() for path in graded.out.glob("*/results.json") if path.parent.name != "carol"}
    carol = graded.results("carol")
    (graded.out / "carol" / "results.json").unlink()
    (graded.out / "alice" / f"{PARTIAL_PREFIX}results.json.left").write_text("{half")  # a killed run's leftover
    run = grade_class(graded.submissions, graded.out, "--tests", str(graded.tests), "--resume", "--wall-limit", str(WALL_LIMIT))
    assert run.returncode == 0, run.stdout + run.stderr
    plan = t("cli.class_plan", "en", students=len(before) + 1, to_grade=1, skipped=len(before), sandbox=SANDBOX)
    assert plan in " ".join(run.stdout.split())
    assert {path: path.read_bytes() for path in before} == before
    again = graded.results("carol")
    assert again["score"] == carol["score"] and [e["status"] for e in again["exercises"]] == [e["status"] for e in carol["exercises"]]
    assert not list(graded.out.rglob(f"{PARTIAL_PREFIX}*"))
    assert set(graded.csv_rows()) == {path.parent.name for path in graded.out.glob("*/results.json")}


def test_csv_columns_and_quoting(graded: GradedClass):
    text = (graded.out / "grades.csv").read_text(encoding="utf-8")
    header = next(csv.reader(io.StringIO(text)))
    assert header == ["student", "total", "max", "status", *EXERCISES, "visible", "hidden", "message"]
    rows = graded.csv_rows()
    for student, row in rows.items():
        results = graded.results(student)
        assert float(row["max"]) == results["max_score"] and row["status"] == results["status"]
        assert float(row["total"]) == pytest.approx(sum(float(row[name]) for name in EXERCISES))


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM])
def test_a_stopped_run_keeps_every_finished_grade_and_no_half_file(tmp_path: Path, how: signal.Signals):
    submissions, out = tmp_path / "submissions", tmp_path / "reports"
    write_student(submissions / "a_first", {EX01: solution(EX01)})
    write_student(submissions / "b_waits", {EX01: ENDLESS_WAIT})  # still grading when the signal comes
    write_student(submissions / "c_last", {EX01: solution(EX01)})
    command = [*class_command(submissions, out, "--jobs", "1"), "--wall-limit", "300"]
    command[command.index(EX02) - 1: command.index(EX02) + 1] = []  # ex01 only
    process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = out / "a_first" / "results.json"
    try:
        while not first.exists() and process.poll() is None:
            time.sleep(0.05)
        assert process.poll() is None, process.communicate()
        assert not (out / "b_waits" / "results.json").exists()
        process.send_signal(how)
        stdout, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130, stdout + stderr
    assert t("cli.class_interrupted", "en", graded=1, to_grade=3) in " ".join(stdout.split())
    results = json.loads(first.read_text(encoding="utf-8"))
    assert results["score"] == results["max_score"] > 0
    assert sorted(path.parent.name for path in out.glob("*/results.json")) == ["a_first"]
    assert not list(out.rglob(f"{PARTIAL_PREFIX}*"))
    with (out / "grades.csv").open(encoding="utf-8", newline="") as file:
        assert [row["student"] for row in csv.DictReader(file)] == ["a_first"]
    ET.parse(out / "junit.xml")


def test_unknown_instructor_test_file_is_refused_before_grading(tmp_path: Path):
    (tmp_path / "submissions" / "alice").mkdir(parents=True)
    (tmp_path / "tests" / "day1_stream").mkdir(parents=True)
    (tmp_path / "tests" / "day1_stream" / "test_ex99_nothing.py").write_text("def test_x():\n    pass\n")
    run = grade_class(tmp_path / "submissions", tmp_path / "out", "--tests", str(tmp_path / "tests"))
    assert run.returncode == 2, run.stdout + run.stderr
    assert "test_ex99_nothing.py" in run.stderr
    assert not (tmp_path / "out" / "alice").exists()


@pytest.mark.parametrize("member", ["../../escaped.py", "day1_stream/../../../escaped.py", "/tmp/escaped.py",
                                    "C:/escaped.py", "..\\..\\escaped.py"])
def test_an_escaping_member_is_refused_before_anything_is_written(tmp_path: Path, member: str):
    from coursekit.grade_class.submissions import Problem, unpack

    archive = tmp_path / "mixed.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("day1_stream/ex01_print_stream.py", "x = 1\n")
        zipped.writestr(member, "x = 2\n")
    into = tmp_path / "a" / "b" / "into"
    with pytest.raises(Problem) as caught:
        unpack(archive, into)
    assert caught.value.kind == "zip_slip" and caught.value.values == {"member": member}
    assert sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*")) == ["a", "a/b", "mixed.zip"]
    assert not Path("/tmp/escaped.py").exists()


@pytest.mark.parametrize("where", ["same", "parent"])
def test_a_report_folder_that_holds_the_submissions_is_refused(tmp_path: Path, where: str):
    submissions = write_student(tmp_path / "class" / "submissions" / "alice", {EX01: solution(EX01)}).parent
    out = submissions if where == "same" else submissions.parent
    run = grade_class(submissions, out)
    assert run.returncode == 2, run.stdout + run.stderr
    assert " ".join(run.stderr.split()) == t("cli.class_out_holds_submissions", "en", path=out)
    assert sorted(path.name for path in submissions.rglob("*")) == ["alice", "day1_stream", "ex01_print_stream.py"]


@pytest.mark.parametrize(("option", "value", "key"), [("--jobs", "0", "cli.class_bad_jobs"), ("--wall-limit", "0", "cli.class_bad_limit"),
                                                      ("--cpu-limit", "-2", "cli.class_bad_limit")])
def test_bad_numbers_are_one_line_in_the_instructors_language(tmp_path: Path, option: str, value: str, key: str):
    (tmp_path / "submissions").mkdir()
    command = [sys.executable, "-m", "coursekit", "grade-class", str(tmp_path / "submissions"), "--out", str(tmp_path / "out"),
               option, value, "--lang", "pt"]
    run = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2, run.stdout + run.stderr
    shown = int(value) if option == "--jobs" else float(value)
    assert run.stderr.strip() == t(key, "pt", option=option, value=shown)
    assert not (tmp_path / "out").exists()


def test_the_grading_root_adds_replaces_and_caps(tmp_path: Path):
    """No grading: the copied course holds the visible tests plus the added ones, a replacing file alone, lower limits."""
    from coursekit.grade_class import overlay
    from coursekit.manifest import load_course

    course = load_course(REPO_ROOT)
    mine = tmp_path / "mine" / "day1_stream"
    mine.mkdir(parents=True)
    (mine / "test_ex01_print_stream.py").write_text(f"{overlay.REPLACE_MARK}\ndef test_only_mine(exercise):\n    pass\n")
    (mine / "test_ex02_collect_stream.py").write_text("from __future__ import annotations\n" + HIDDEN_TEST)
    root = overlay.build(course, tmp_path / "root", tests=tmp_path / "mine", cpu_cap=3, wall_cap=1000)
    graded_tests = tmp_path / "root" / "tests" / "exercises" / "day1_stream"
    assert (graded_tests / "test_ex01_print_stream.py").read_text() == (mine / "test_ex01_print_stream.py").read_text()
    merged = (graded_tests / "test_ex02_collect_stream.py").read_text()
    visible = (REPO_ROOT / "tests" / "exercises" / "day1_stream" / "test_ex02_collect_stream.py").read_text()
    compile(merged, "merged.py", "exec")  # __future__ imports still open the module
    assert merged.startswith("from __future__ import annotations\n") and merged.count("from __future__") == 1
    assert "def test_instructor_one_word" in merged and all(line in merged for line in visible.splitlines() if "__future__" not in line)
    assert root.visibility(EX01, "Anything at all", "en") == "hidden"
    assert root.visibility(EX02, HIDDEN_NAME, "en") == root.visibility(EX02, f"{HIDDEN_NAME} [x]", "en") == "hidden"
    assert root.visibility(EX02, "Uma resposta de uma palavra volta inteira (instrutor)", "pt") == "hidden"
    assert root.visibility(EX02, "The text is the whole answer", "en") == "visible"
    for exercise in root.course.exercises:
        original = course.exercise(exercise.name).limits
        assert (exercise.limits.cpu, exercise.limits.wall) == (min(original.cpu, 3), original.wall)
    assert not (tmp_path / "root" / "solutions").exists() and not (tmp_path / "root" / "tests" / "corpus").exists()


def test_without_a_sandbox_a_worker_grades_each_student(graded: GradedClass, tmp_path: Path):
    """The same grades as in the sandbox (the class above), test by test."""
    submissions, out = tmp_path / "submissions", tmp_path / "reports"
    write_student(submissions / "alice", {EX01: solution(EX01)})
    write_student(submissions / "carol", {EX01: template(EX01)})
    command = class_command(submissions, out, "--jobs", "2")
    command[command.index("--sandbox") + 1] = "none"
    command[command.index(EX02) - 1: command.index(EX02) + 1] = []  # ex01 only
    run = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    with (out / "grades.csv").open(encoding="utf-8", newline="") as file:
        rows = {row["student"]: row for row in csv.DictReader(file)}
    for student in ("alice", "carol"):
        results = json.loads((out / student / "results.json").read_text(encoding="utf-8"))
        assert results["sandbox"] == "none" and results["target"] == student
        sandboxed = graded.exercise(student, EX01)
        assert [(test["name"], test["status"], test["score"]) for test in results["exercises"][0]["tests"]] == \
               [(test["name"], test["status"], test["score"]) for test in sandboxed["tests"]]
        assert float(rows[student]["total"]) == sandboxed["score"]

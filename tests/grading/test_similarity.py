"""Similar code in ``grade-class``: copies are flagged, templates and independent solutions are not, scores never move.

The copies are made here the way a student hides one: every local variable renamed, docstrings
rewritten, comments, blank lines and trailing spaces added, indented by two spaces.
The independent solutions are the course's own: each exercise's reference solution and every
``right_*.py`` of the corpus, written separately to show different ways to the same result.
"""

from __future__ import annotations

import ast
import csv
import io
import itertools
import json
import os
import subprocess
import tokenize
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_grade_class import EX01, EX02, WALL_LIMIT, class_command, corpus, solution, template, write_student

from coursekit.grade_class import similarity as similar
from coursekit.grade_class.similarity import Sources, compare
from coursekit.manifest import REPO_ROOT, Exercise, load_course

COURSE = load_course(REPO_ROOT)


def disguised(code: str) -> str:
    """``code`` as a student who copied it hands it in: every local variable renamed, docstrings rewritten,
    two-space indents, blank lines, comments and trailing spaces added. The same program, the template's names kept."""
    tree = ast.parse(code)
    functions = [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]
    stored = {node.id for function in functions for node in ast.walk(function)
              if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}
    stored -= {node.id for text in ast.walk(tree) if isinstance(text, ast.JoinedStr) for node in ast.walk(text)
               if isinstance(node, ast.Name)}  # one token each in Python 3.11: left as they are
    renamed = {name: f"my_{name.lower()}_{index}" for index, name in enumerate(sorted(stored))}
    documented = [node for node in ast.walk(tree) if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)]
    docstrings = {(node.body[0].value.lineno, node.body[0].value.col_offset) for node in documented if node.body
                  and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
                  and isinstance(node.body[0].value.value, str)}
    starts = list(itertools.accumulate((len(line) for line in code.splitlines(keepends=True)), initial=0))
    tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    edits: list[tuple[int, int, str]] = []
    depth = 0
    for index, token in enumerate(tokens):
        span = (starts[token.start[0] - 1] + token.start[1], starts[token.end[0] - 1] + token.end[1])
        if token.type == tokenize.OP and token.string in "([{":
            depth += 1
        elif token.type == tokenize.OP and token.string in ")]}":
            depth -= 1
        elif token.type == tokenize.NAME and token.string in renamed:
            keyword_argument = depth and tokens[index + 1].string == "="
            if tokens[index - 1].string != "." and not keyword_argument:
                edits.append((*span, renamed[token.string]))
        elif token.type == tokenize.STRING and token.start in docstrings:
            edits.append((*span, '"""My own work, written from scratch."""'))
    edited = code
    for begin, finish, text in reversed(edits):
        edited = edited[:begin] + text + edited[finish:]
    in_strings = {row for token in tokenize.generate_tokens(io.StringIO(edited).readline) if token.type == tokenize.STRING
                  for row in range(token.start[0] + 1, token.end[0] + 1)}
    lines: list[str] = []
    for row, line in enumerate(edited.splitlines(), 1):
        if row in in_strings:
            lines.append(line)
            continue
        stripped = line.lstrip(" ")
        indent = " " * ((len(line) - len(stripped)) // 4 * 2)
        if stripped.startswith(("def ", "async def ", "for ", "async for ")):
            lines += ["", indent + "# here I go through it step by step"]
        lines.append(indent + stripped + ("  " if stripped else ""))
    copy = "\n".join(lines) + "\n"
    names = {node.id for function in ast.walk(ast.parse(copy)) if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
             for node in ast.walk(function) if isinstance(node, ast.Name)}
    assert not names & stored and copy != code
    return copy


def independent(exercise: Exercise) -> dict[str, Path]:
    """The reference solution and every right solution of the corpus: written apart from one another."""
    files = {"solution": exercise.solution}
    files |= {path.stem: path for path in sorted((REPO_ROOT / "tests" / "corpus" / exercise.day / exercise.stem).glob("right_*.py"))}
    return {name: path for name, path in files.items() if path.is_file()}


def sources_of(students: dict[str, dict[str, str]], exercises: list[Exercise], tmp_path: Path, template_too: bool = True) -> Sources:
    """``students``: student -> exercise name -> code, written as submission folders and read as grade-class reads them."""
    sources = Sources()
    for exercise in exercises:
        if template_too:
            sources.add_template(exercise.name, exercise.template)
        else:
            sources.code.setdefault(exercise.name, {})
    for student, files in students.items():
        for name, code in files.items():
            path = COURSE.exercise(name).file_in(tmp_path / student)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(code, encoding="utf-8")
        for exercise in exercises:
            sources.add(exercise.name, student, exercise.file_in(tmp_path / student))
    return sources


def flagged(similarity: similar.Similarity) -> set[tuple[str, str, str]]:
    assert similarity.error is None
    return {(pair.exercise, *pair.students) for pair in similarity.pairs}


#: Every solution written independently, with something to copy beyond the template.
COPYABLE = [(exercise.name, name) for exercise in COURSE.exercises for name in independent(exercise)]


def test_every_independent_solution_copied_and_disguised_is_flagged(tmp_path: Path):
    """alice_<n> wrote a solution, bob_<n> copied it and disguised it: each pair is flagged, on both sides."""
    assert len(COPYABLE) >= 20
    students: dict[str, dict[str, str]] = {}
    for index, (name, source) in enumerate(COPYABLE):
        code = independent(COURSE.exercise(name))[source].read_text(encoding="utf-8")
        students.setdefault(f"alice_{index:02}", {})[name] = code
        students.setdefault(f"bob_{index:02}", {})[name] = disguised(code)
    exercises = [COURSE.exercise(name) for name in sorted({name for name, _ in COPYABLE})]
    similarity = compare(sources_of(students, exercises, tmp_path))
    expected = {(name, f"alice_{index:02}", f"bob_{index:02}") for index, (name, _) in enumerate(COPYABLE)}
    assert flagged(similarity) == expected
    for pair in similarity.pairs:
        assert min(pair.shares) >= similar.THRESHOLD and pair.shared >= similar.MIN_SHARED


def test_independent_correct_solutions_are_not_flagged(tmp_path: Path):
    """The corpus's right solutions and the reference solution, all in one class: no two are near-identical."""
    students: dict[str, dict[str, str]] = {}
    for exercise in COURSE.exercises:
        for name, path in independent(exercise).items():
            students.setdefault(name, {})[exercise.name] = path.read_text(encoding="utf-8")
    pairs = sum(len(files) * (len(files) - 1) // 2 for files in (independent(exercise) for exercise in COURSE.exercises))
    assert pairs >= 10  # enough comparisons for the absence of a flag to mean something
    similarity = compare(sources_of(students, COURSE.exercises, tmp_path))
    assert flagged(similarity) == set()


def test_students_who_only_kept_the_template_are_not_flagged_together(tmp_path: Path):
    """carol handed in the templates untouched, zed reformatted them: without the boilerplate they would be flagged."""
    exercises = [COURSE.exercise(EX01), COURSE.exercise(EX02)]
    students = {
        "carol": {name: template(name) for name in (EX01, EX02)},
        "zed": {name: disguised(template(name)) for name in (EX01, EX02)},
        "alice": {name: solution(name) for name in (EX01, EX02)},
    }
    assert flagged(compare(sources_of(students, exercises, tmp_path / "with"))) == set()
    without = compare(sources_of(students, exercises, tmp_path / "without", template_too=False))
    assert flagged(without) >= {(EX01, "carol", "zed"), (EX02, "carol", "zed")}


def test_the_figures_are_the_same_in_every_run(tmp_path: Path):
    """copydetect's hashes are salted per process: the comparison fixes the salt, so two runs agree to the last digit."""
    students: dict[str, dict[str, str]] = {}
    for exercise in COURSE.exercises:
        for name, path in independent(exercise).items():
            students.setdefault(name, {})[exercise.name] = path.read_text(encoding="utf-8")
            students.setdefault(f"copy_of_{name}", {})[exercise.name] = disguised(path.read_text(encoding="utf-8"))
    sources = sources_of(students, COURSE.exercises, tmp_path)
    runs = [similar.json_text(compare(sources)) for _ in range(2)]
    assert runs[0] == runs[1] and json.loads(runs[0])["pairs"]


def test_a_link_a_fifo_or_a_huge_file_is_left_out_without_being_read(tmp_path: Path):
    exercise = COURSE.exercise(EX01)
    for student in ("linked", "piped", "huge"):
        exercise.file_in(tmp_path / student).parent.mkdir(parents=True)
    exercise.file_in(tmp_path / "linked").symlink_to("/etc/passwd")
    os.mkfifo(exercise.file_in(tmp_path / "piped"))  # opening it to read would wait forever
    exercise.file_in(tmp_path / "huge").write_text("x = 1\n" * (similar.MAX_SOURCE_BYTES // 6 + 1))
    sources = Sources()
    for student in ("linked", "piped", "huge", "absent"):
        sources.add(exercise.name, student, exercise.file_in(tmp_path / student))
    assert sources.code.get(exercise.name, {}) == {}
    assert sources.left_out == [(EX01, "linked", "not_a_file"), (EX01, "piped", "not_a_file"), (EX01, "huge", "too_big")]


class SimilarityTables(HTMLParser):
    """The page's similarity section: exercise -> [(students, shares, shared)] as the tables show them."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.section = False
        self.paragraphs: list[str] = []
        self._exercise: str | None = None
        self._cells: list[str] | None = None
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "section" and values.get("id") == "similarity":
            self.section = True
        elif self.section and tag == "table":
            self._exercise = values.get("data-exercise")
            self.tables[self._exercise or ""] = []
        elif self.section and tag == "tr":
            self._cells = []
        elif self.section and tag in ("td", "p"):
            self._in = tag
            if tag == "td" and self._cells is not None:
                self._cells.append("")
            else:
                self.paragraphs.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self.section = False
        elif tag == "tr" and self._cells and self._exercise:
            self.tables[self._exercise].append([" ".join(cell.split()) for cell in self._cells])
        elif tag in ("td", "p"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "td" and self._cells is not None:
            self._cells[-1] += data
        elif self._in == "p":
            self.paragraphs[-1] += data


@pytest.fixture(scope="module")
def similar_class(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small class graded by grade-class: bob copied alice, carol and zed kept the templates, dave wrote his own."""
    root = tmp_path_factory.mktemp("similar")
    submissions, out = root / "submissions", root / "reports"
    write_student(submissions / "alice", {EX01: solution(EX01), EX02: solution(EX02)})
    write_student(submissions / "bob", {EX01: disguised(solution(EX01)), EX02: disguised(solution(EX02))})
    write_student(submissions / "carol", {EX01: template(EX01), EX02: template(EX02)})
    write_student(submissions / "zed", {EX01: template(EX01), EX02: template(EX02)})
    write_student(submissions / "dave", {EX01: corpus(EX01, "right_stdout_write.py"), EX02: template(EX02)})
    run = subprocess.run([*class_command(submissions, out, "--jobs", "2"), "--wall-limit", str(WALL_LIMIT)], cwd=REPO_ROOT,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    return out


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_grade_class_flags_the_copy_beside_the_gradebook(similar_class: Path):
    rows = read_csv(similar_class / similar.CSV_NAME)
    assert [(row["exercise"], row["student_a"], row["student_b"]) for row in rows] == [(EX01, "alice", "bob"), (EX02, "alice", "bob")]
    assert all(float(row["share_a"]) >= similar.THRESHOLD and float(row["share_b"]) >= similar.THRESHOLD for row in rows)
    data = json.loads((similar_class / similar.JSON_NAME).read_text(encoding="utf-8"))
    assert (data["status"], data["threshold"], data["compared"]) == ("done", similar.THRESHOLD, {EX01: 5, EX02: 5})
    assert [(pair["exercise"], pair["students"]) for pair in data["pairs"]] == [(EX01, ["alice", "bob"]), (EX02, ["alice", "bob"])]
    assert [(pair["shares"], pair["shared"]) for pair in data["pairs"]] == \
           [([float(row["share_a"]), float(row["share_b"])], int(row["shared"])) for row in rows]


def test_a_flag_is_never_part_of_a_score(similar_class: Path):
    """bob's copy works, so he has every point, as alice does: the flag is for the instructor to read, nothing else."""
    grades = {row["student"]: row for row in read_csv(similar_class / "grades.csv")}
    assert not any("similar" in column for column in next(iter(grades.values())))
    for student in ("alice", "bob"):
        results = json.loads((similar_class / student / "results.json").read_text(encoding="utf-8"))
        assert results["score"] == results["max_score"] > 0 and float(grades[student]["total"]) == results["score"]
        assert "similar" not in json.dumps(results)


def test_the_report_page_shows_the_pairs_and_says_it_is_no_grade(similar_class: Path):
    page = SimilarityTables()
    page.feed((similar_class / "report.html").read_text(encoding="utf-8"))
    pairs = {row["exercise"]: row for row in read_csv(similar_class / similar.CSV_NAME)}
    assert set(page.tables) == set(pairs)
    for name, shown in page.tables.items():
        row = pairs[name]
        share = f"{float(row['share_a']) * 100:.0f}% · {float(row['share_b']) * 100:.0f}%"
        assert shown == [["alice · bob", share, row["shared"]]]
    assert page.paragraphs[0] == similar.text("intro", "en", threshold=round(similar.THRESHOLD * 100))


def test_resume_still_compares_the_students_graded_before(similar_class: Path):
    """bob is graded again; alice, graded in the first run, is still compared with him."""
    before = (similar_class / similar.JSON_NAME).read_text(encoding="utf-8")
    (similar_class / "bob" / "results.json").unlink()
    (similar_class / similar.JSON_NAME).unlink()
    submissions = similar_class.parent / "submissions"
    run = subprocess.run([*class_command(submissions, similar_class, "--resume"), "--wall-limit", str(WALL_LIMIT)], cwd=REPO_ROOT,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert (similar_class / "bob" / "results.json").is_file()
    assert (similar_class / similar.JSON_NAME).read_text(encoding="utf-8") == before


@pytest.mark.parametrize("lang", ["pt", "id"])
def test_the_section_speaks_the_instructors_language(lang: str):
    """Its texts are in the i18n catalogue, whose tests check every key in every language."""
    assert similar.text("intro", lang, threshold=60) != similar.text("intro", "en", threshold=60)
    assert "60%" in similar.text("intro", lang, threshold=60)


def test_the_page_shows_the_closest_pairs_and_counts_the_rest():
    """A class where many handed in the same file: the page lists the closest pairs, similarity.csv all of them."""
    from coursekit.grade_class.html_report import TOP_PAIRS, html_text

    pairs = [similar.Pair(EX01, (f"s{index:02}", f"t{index:02}"), (1 - index / 100, 0.9), 100) for index in range(TOP_PAIRS + 5)]
    page = SimilarityTables()
    page.feed(html_text([], [EX01], "pt", "Course", similar.Similarity(pairs, {EX01: 2 * len(pairs)})))
    shown = page.tables[EX01]
    assert [row[0] for row in shown] == [f"s{index:02} · t{index:02}" for index in range(TOP_PAIRS)]
    assert similar.text("more", "pt", count=5) in page.paragraphs
    assert len(similar.csv_text(similar.Similarity(pairs)).splitlines()) == len(pairs) + 1

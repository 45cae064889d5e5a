"""The student CLI, run against a small synthetic course so no test depends on real exercise content.

The course is written to a temporary folder and committed to a fresh git repository, exactly the
situation of a student's clone: ``exercises/`` holds the templates, ``reset`` restores them from
``HEAD`` and ``status`` recognises untouched ones. Commands run in-process through Typer's
``CliRunner`` with the course as the working directory; the real grader grades it.
"""

from __future__ import annotations

import json
import locale
import os
import re
import signal
import string
import subprocess
import sys
import threading
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coursekit.cli import app
from coursekit.cli.errors import language_in_argv
from coursekit.cli.watch import ExerciseWatcher, observing, watch_folder
from coursekit.grading.sandbox import bwrap_works
from coursekit.i18n import LANGUAGES, catalogue_files

REPO_ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = [path for _, path in catalogue_files()]
WIDE = {"COLUMNS": "200"}  # Rich would otherwise wrap tables at 80 columns in the runner

COURSE_TOML = '''
[course]
title = { en = "Tiny Course", pt = "Curso Mínimo", id = "Kursus Mini" }

[[days]]
slug = "day1_basics"
title = { en = "Basics", pt = "Básico", id = "Dasar" }

[[days]]
slug = "day2_more"
title = { en = "More", pt = "Mais", id = "Lanjutan" }

[[exercises]]
name = "day1_basics/ex01_add"
points = 10
title = { en = "Add two numbers", pt = "Somar dois números", id = "Menjumlahkan dua angka" }
task = { en = "Write add(a, b).", pt = "Escreva add(a, b).", id = "Tulis add(a, b)." }
hint = { en = "Use the + operator.", pt = "Use o operador +.", id = "Gunakan operator +." }
more = { en = "return a + b", pt = "return a + b", id = "return a + b" }

[[exercises]]
name = "day1_basics/ex02_greet"
points = 5
title = { en = "Greet", pt = "Cumprimentar", id = "Menyapa" }
task = { en = "Write greet(name).", pt = "Escreva greet(name).", id = "Tulis greet(name)." }
hint = { en = "Return an f-string.", pt = "Devolva uma f-string.", id = "Kembalikan sebuah f-string." }
more = { en = "Put the name in an f-string.", pt = "Ponha o nome numa f-string.", id = "Masukkan nama ke f-string." }

[[exercises]]
name = "day2_more/ex03_double"
points = 10
title = { en = "Double", pt = "Dobrar", id = "Menggandakan" }
task = { en = "Write double(x).", pt = "Escreva double(x).", id = "Tulis double(x)." }
hint = { en = "Multiply by two.", pt = "Multiplique por dois.", id = "Kalikan dengan dua." }
more = { en = "return 2 * x", pt = "return 2 * x", id = "return 2 * x" }
'''

TEMPLATES = {
    "day1_basics/ex01_add": 'def add(a, b):\n    """TODO: return a + b."""\n    raise NotImplementedError\n',
    "day1_basics/ex02_greet": 'def greet(name):\n    """TODO: return "Hello, <name>!"."""\n    raise NotImplementedError\n',
    "day2_more/ex03_double": 'def double(x):\n    """TODO: return twice x."""\n    raise NotImplementedError\n',
}
SOLUTIONS = {
    "day1_basics/ex01_add": "def add(a, b):\n    return a + b\n",
    "day1_basics/ex02_greet": 'def greet(name):\n    return f"Hello, {name}!"\n',
    "day2_more/ex03_double": "def double(x):\n    return 2 * x\n",
}
TESTS = {
    "day1_basics/ex01_add": 'def test_adds(exercise):\n'
    '    """Adds two numbers.\n\n    pt: Soma dois números.\n    id: Menjumlahkan dua bilangan.\n    """\n'
    '    assert exercise.add(2, 3) == 5, "add(2, 3) should give 5"\n',
    "day1_basics/ex02_greet": 'def test_greets(exercise):\n'
    '    """Greets by name.\n\n    pt: Cumprimenta pelo nome.\n    id: Menyapa dengan nama.\n    """\n'
    '    assert exercise.greet("Ana") == "Hello, Ana!", "greet(\'Ana\') should say Hello, Ana!"\n',
    "day2_more/ex03_double": 'def test_doubles(exercise):\n'
    '    """Doubles a number.\n\n    pt: Dobra um número.\n    id: Menggandakan sebuah bilangan.\n    """\n'
    '    assert exercise.double(4) == 8, "double(4) should give 8"\n',
}
#: The wrong-solution corpus `verify` requires: three plausible mistakes and one other right way each.
CORPUS = {
    "day1_basics/ex01_add": {
        "wrong_subtracts": "def add(a, b):\n    return a - b\n",
        "wrong_joins_text": "def add(a, b):\n    return int(f'{a}{b}')\n",
        "wrong_prints": "def add(a, b):\n    print(a + b)\n",
        "right_sum": "def add(a, b):\n    return sum((a, b))\n",
    },
    "day1_basics/ex02_greet": {
        "wrong_no_comma": 'def greet(name):\n    return f"Hello {name}!"\n',
        "wrong_no_bang": 'def greet(name):\n    return f"Hello, {name}"\n',
        "wrong_hi": 'def greet(name):\n    return f"Hi, {name}!"\n',
        "right_format": 'def greet(name):\n    return "Hello, {}!".format(name)\n',
    },
    "day2_more/ex03_double": {
        "wrong_square": "def double(x):\n    return x * x\n",
        "wrong_plus_two": "def double(x):\n    return x + 2\n",
        "wrong_text": "def double(x):\n    return str(2 * x)\n",
        "right_shift": "def double(x):\n    return x << 1\n",
    },
}
EXERCISES_CONFTEST = "from coursekit.grading.target import exercise, pytest_addoption, pytest_configure  # noqa: F401\n"


def git(root: Path, *args: str) -> str:
    identity = ["-c", "user.name=Course Author", "-c", "user.email=author@example.org", "-c", "commit.gpgsign=false"]
    return subprocess.run(["git", *identity, "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A three-exercise course committed to git, as the working directory (like a student's clone)."""
    root = tmp_path / "course"
    files = {"course.toml": COURSE_TOML, "pyproject.toml": "[tool.pytest.ini_options]\n",
             ".gitignore": ".coursekit/\n", "tests/exercises/conftest.py": EXERCISES_CONFTEST}
    for name in TEMPLATES:
        day, stem = name.split("/")
        files[f"exercises/{name}.py"] = TEMPLATES[name]
        files[f"solutions/{name}.py"] = SOLUTIONS[name]
        files[f"tests/exercises/{day}/test_{stem}.py"] = TESTS[name]
        for sample, source in CORPUS[name].items():
            files[f"tests/corpus/{name}/{sample}.py"] = source
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "course")
    monkeypatch.chdir(root)
    monkeypatch.setattr(locale, "getlocale", lambda *args: (None, None))  # the machine's locale must not leak in
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    return root


def run(*args: str, env: dict[str, str] | None = None, input: str | None = None):
    """``coursekit ARGS`` in-process; the working directory is the course."""
    return CliRunner().invoke(app, list(args), env={**WIDE, **(env or {})}, input=input)


def solve(course: Path, name: str) -> None:
    """Do an exercise the way a student would: write a correct version into exercises/."""
    (course / "exercises" / f"{name}.py").write_text(SOLUTIONS[name], encoding="utf-8")


def assert_one_line_error(result, exit_code: int) -> str:
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


# --- Message catalogues ----------------------------------------------------------------------------


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda path: path.relative_to(REPO_ROOT).as_posix())
def test_every_message_exists_in_every_language_with_the_same_placeholders(catalogue: Path):
    messages = tomllib.loads(catalogue.read_text(encoding="utf-8"))
    assert messages, f"{catalogue.name} is empty"
    for key, texts in messages.items():
        assert set(texts) == set(LANGUAGES), f"{catalogue.name} [{key}] has {sorted(texts)}"
        assert all(text.strip() for text in texts.values()), f"{catalogue.name} [{key}] has an empty text"
        english = placeholders(texts["en"])
        for lang in LANGUAGES:
            assert placeholders(texts[lang]) == english, f"{catalogue.name} [{key}] {lang} placeholders differ"


def test_every_cli_message_used_in_the_code_is_in_the_catalogue():
    catalogue = tomllib.loads((REPO_ROOT / "coursekit" / "i18n" / "cli.toml").read_text(encoding="utf-8"))
    source = "\n".join(path.read_text(encoding="utf-8") for path in (REPO_ROOT / "coursekit").rglob("*.py"))
    used = set(re.findall(r'"cli\.([a-z_]+)"', source)) | {f"help_{key}" for key in re.findall(r'help_text\("([a-z_]+)"\)', source)}
    assert used, "no cli.* message found in the code"
    assert used <= set(catalogue), f"missing from cli.toml: {sorted(used - set(catalogue))}"


# --- status ------------------------------------------------------------------------------------------


def test_status_of_a_fresh_clone_shows_every_day_and_the_first_exercise_without_grading(course: Path):
    result = run()  # no command: status
    assert result.exit_code == 0, result.output
    assert "Grading" not in result.output  # untouched templates are known from git, not graded
    assert re.search(r"day1_basics\s+│\s+Basics\s+│\s+0/2\s+│\s+0/15", result.output), result.output
    assert re.search(r"day2_more\s+│\s+More\s+│\s+0/1\s+│\s+0/10", result.output), result.output
    assert "0 of 3 exercises done, 0/25 points." in result.output
    assert "Next: day1_basics/ex01_add — Add two numbers (· not started)" in result.output
    assert "Edit exercises/day1_basics/ex01_add.py" in result.output
    assert "coursekit check ex01_add" in result.output


def test_status_grades_changed_files_once_and_again_after_each_edit(course: Path):
    solve(course, "day1_basics/ex01_add")
    first = run("status")
    assert first.exit_code == 0, first.output
    assert "Grading 1 exercise(s)" in first.output
    assert re.search(r"day1_basics\s+│\s+Basics\s+│\s+1/2\s+│\s+10/15", first.output), first.output
    assert "Next: day1_basics/ex02_greet" in first.output

    second = run("status")
    assert "Grading" not in second.output  # same bytes: the cached grade is reused
    assert re.search(r"1/2\s+│\s+10/15", second.output), second.output

    exercise = course / "exercises" / "day1_basics" / "ex01_add.py"
    exercise.write_text("def add(a, b):\n    return a - b\n", encoding="utf-8")
    third = run("status")
    assert "Grading 1 exercise(s)" in third.output  # new bytes were never graded: no stale pass
    assert re.search(r"0/2\s+│\s+0/15", third.output), third.output
    assert "Next: day1_basics/ex01_add — Add two numbers (✘ failed)" in third.output


def test_status_when_everything_passes(course: Path):
    for name in SOLUTIONS:
        solve(course, name)
    result = run("status", "--lang", "pt")
    assert result.exit_code == 0, result.output
    assert "3 de 3 exercícios feitos, 25/25 pontos." in result.output
    assert "Parabéns" in result.output


# --- check -------------------------------------------------------------------------------------------


def test_check_of_a_template_fails_with_the_test_message_and_the_hint(course: Path):
    result = run("check", "ex01")
    assert result.exit_code == 1, result.output
    assert re.search(r"day1_basics/ex01_add\s+│\s+✘ failed\s+│\s+0/1\s+│\s+0/10", result.output), result.output
    assert "Adds two numbers" in result.output  # the failing test, named by its docstring
    assert "Hint: Use the + operator." in result.output
    assert "Score: 0/1 tests, 0/10 points" in result.output


def test_check_names_the_tests_in_the_students_language(course: Path):
    result = run("check", "ex01", "--lang", "id")
    assert result.exit_code == 1, result.output
    assert "Menjumlahkan dua bilangan." in result.output  # the test's "id:" docstring line
    assert "Adds two numbers" not in result.output


def test_check_passes_with_exit_0_once_solved_and_checks_a_whole_day(course: Path):
    solve(course, "day1_basics/ex01_add")
    solve(course, "day1_basics/ex02_greet")
    result = run("check", "day1_basics")
    assert result.exit_code == 0, result.output
    assert "ex03_double" not in result.output
    assert re.search(r"Score: \d+/\d+ tests, 15/15 points", result.output), result.output
    assert "Hint" not in result.output


def test_check_with_target_and_json_writes_results_for_instructors(course: Path, tmp_path: Path):
    submission = tmp_path / "student"
    (submission / "day1_basics").mkdir(parents=True)
    (submission / "day1_basics" / "ex01_add.py").write_text(SOLUTIONS["day1_basics/ex01_add"], encoding="utf-8")
    out = tmp_path / "out" / "results.json"
    result = run("check", "--target", str(submission), "--json", str(out))
    assert result.exit_code == 1, result.output  # ex02 and ex03 are missing from the submission
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["version"] == 3
    assert (data["score"], data["max_score"]) == (10, 25)
    assert [exercise["name"] for exercise in data["exercises"]] == list(SOLUTIONS)
    assert [exercise["status"] for exercise in data["exercises"]] == ["pass", "error", "error"]
    test = data["exercises"][0]["tests"][0]
    assert set(test) == {"name", "status", "message", "output", "task_id", "score", "max_score"}
    assert (data["target"], data["sandbox"]) == ("student", "bwrap" if bwrap_works() else "none")


def test_check_target_solutions_passes(course: Path):
    result = run("check", "--target", "solutions")
    assert result.exit_code == 0, result.output
    assert re.search(r"Score: \d+/\d+ tests, 25/25 points", result.output), result.output


def test_check_refuses_a_missing_target_folder(course: Path):
    line = assert_one_line_error(run("check", "--target", "nowhere"), 2)
    assert "nowhere" in line


# --- hint and language ---------------------------------------------------------------------------


def test_hint_without_a_name_is_the_current_exercises(course: Path):
    solve(course, "day1_basics/ex01_add")
    assert run("check", "ex01").exit_code == 0
    result = run("hint")
    assert result.exit_code == 0, result.output
    assert "day1_basics/ex02_greet" in result.output and "Return an f-string." in result.output


def test_a_day_without_exercises_says_so(course: Path):
    manifest = course / "course.toml"
    manifest.write_text(manifest.read_text() + '\n[[days]]\nslug = "day3_later"\ntitle = { en = "Later", pt = "Depois", id = "Nanti" }\n')
    for command in (["hint", "day3_later"], ["check", "day3_later"], ["solution", "day3_later"], ["reset", "-y", "day3_later"]):
        line = assert_one_line_error(run(*command), 2)
        assert "day3_later has no exercises yet" in line
    status = run("status")
    assert re.search(r"day3_later\s+│\s+Later\s+│\s+coming soon", status.output), status.output


def test_check_refuses_a_repeated_target_and_a_folder_of_students(course: Path, tmp_path: Path):
    assert "--target was given more than once" in assert_one_line_error(run("check", "--target", "solutions", "--target", "exercises"), 2)
    (tmp_path / "class" / "alice" / "day1_basics").mkdir(parents=True)
    line = assert_one_line_error(run("check", "--target", str(tmp_path / "class")), 2)
    assert "holds student folders (alice)" in line and "Grading a class" in line


def test_check_json_dash_writes_results_to_stdout(course: Path):
    result = run("check", "ex01", "--target", "solutions", "--json", "-")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["exercises"][0]["name"] == "day1_basics/ex01_add" and data["score"] == 10
    assert "Results" in result.stderr  # the table moves out of the way


@pytest.mark.parametrize(("lang", "hint"), [("pt", "Dica: Use o operador +."), ("id", "Petunjuk: Gunakan operator +.")])
def test_hint_in_the_students_language(course: Path, lang: str, hint: str):
    result = run("hint", "ex01", "--lang", lang)
    assert result.exit_code == 0, result.output
    assert hint in result.output


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (["--lang", "id"], {"COURSE_LANG": "pt", "LANG": "pt_BR.UTF-8"}, "Gunakan operator +."),  # --lang first
        ([], {"COURSE_LANG": "pt", "LANG": "id_ID.UTF-8"}, "Use o operador +."),  # then COURSE_LANG
        ([], {"LANG": "id_ID.UTF-8"}, "Gunakan operator +."),  # then the locale
        ([], {}, "Use the + operator."),  # then English
    ],
)
def test_language_resolution_order(course: Path, args: list[str], env: dict[str, str], expected: str):
    result = run("hint", "ex01", *args, env=env)
    assert result.exit_code == 0, result.output
    assert expected in result.output


def test_global_lang_option_applies_to_the_command(course: Path):
    result = run("--lang", "pt", "hint", "ex01")
    assert "Use o operador +." in result.output


def test_course_root_can_be_given_from_anywhere(course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    by_env = run("hint", "ex03", env={"COURSE_ROOT": str(course)})
    assert "Multiply by two." in by_env.output
    by_option = run("--root", str(course), "hint", "ex03")
    assert "Multiply by two." in by_option.output


def test_help_is_written_in_the_requested_language():
    result = subprocess.run([sys.executable, "-m", "coursekit", "--lang", "pt", "--help"], capture_output=True, text=True,
                            timeout=60, cwd=REPO_ROOT, env={**os.environ, **WIDE})
    assert result.returncode == 0, result.stderr
    assert "Seu progresso por dia e o próximo exercício a fazer." in result.stdout


#: What Typer, Click and Rich write around the help texts, in English.
ENGLISH_FRAME = re.compile(r"\b(Usage|Options|OPTIONS|Commands|COMMAND|Arguments|ARGS|NAME|required|default|env var)\b"
                           r"|Show this message|<bool>|<str>|<list\[str\]>")


def help_output(*args: str) -> str:
    """``coursekit ARGS`` in a fresh interpreter: the help language is fixed when the CLI is imported."""
    result = subprocess.run([sys.executable, "-m", "coursekit", *args], capture_output=True, text=True, timeout=60,
                            cwd=REPO_ROOT, env={**os.environ, **WIDE})
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("lang", ["pt", "id"])
@pytest.mark.parametrize("command", ["", "check", "reset", "serve"])
def test_help_frame_speaks_the_requested_language(lang: str, command: str):
    """Not only the texts: the usage line, panel titles, [required], [default: …] and --help's own line too."""
    output = help_output(*command.split(), "--help", "--lang", lang)
    assert ENGLISH_FRAME.findall(output) == [], output
    frame = tomllib.loads((REPO_ROOT / "coursekit" / "i18n" / "cli.toml").read_text(encoding="utf-8"))
    for key in ("frame_usage", "frame_options", "frame_help_option"):
        assert frame[key][lang] in output, f"{key} is missing from:\n{output}"


def test_english_help_keeps_typers_frame():
    """The check above can fail: in English the same words are all there."""
    found = {match.group(0) for match in ENGLISH_FRAME.finditer(help_output("reset", "--help", "--lang", "en"))}
    assert {"Usage", "OPTIONS", "NAME", "Arguments", "Options", "required", "Show this message"} <= found, found
    assert "<bool>" not in found  # a switch shows no type in any language


def test_language_is_found_in_raw_arguments_for_parse_errors():
    assert language_in_argv(["check", "--lang", "pt"]) == "pt"
    assert language_in_argv(["check", "--lang=id"]) == "id"
    assert language_in_argv(["check", "--lang", "fr"]) is None


# --- mistakes on the command line: one line, exit 2 ----------------------------------------------


def test_unknown_exercise_suggests_the_closest_name(course: Path):
    line = assert_one_line_error(run("hint", "ex01_ad_x"), 2)
    assert "ex01_ad_x" in line and "ex01_add" in line


def test_unknown_exercise_in_portuguese(course: Path):
    line = assert_one_line_error(run("check", "exo3_double", "--lang", "pt"), 2)
    assert line.startswith("Não existe nenhum exercício") and "ex03_double" in line


def test_unknown_day_suggests_the_closest_day(course: Path):
    line = assert_one_line_error(run("check", "day3_more"), 2)
    assert "day2_more" in line


def test_ambiguous_prefix_is_refused_where_one_exercise_is_needed(course: Path):
    line = assert_one_line_error(run("hint", "day1_basics"), 2)
    assert "ex01_add" in line and "ex02_greet" in line


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["chek"], "Did you mean 'check'?"),
        (["check", "--jsn", "x.json"], "Did you mean --json?"),
        (["hint", "ex01", "extra"], "did not expect: extra"),
        (["check", "--target"], "--target needs a value"),
        (["check", "--json", "--lang", "en"], "--json needs a value"),
        (["check", "--target", "--json", "out.json"], "--target needs a value"),
        (["serve", "--port", "http"], "--port does not accept 'http'"),
        (["reset", "ex01", "--yes=1"], "--yes takes no value: write just --yes."),
        (["hint", "ex01", "--lang", "fr"], "Unknown language 'fr'"),
    ],
)
def test_bad_command_lines_get_one_clear_line_and_exit_2(course: Path, args: list[str], expected: str):
    line = assert_one_line_error(run(*args), 2)
    assert expected in line


def test_usage_errors_speak_the_requested_language(course: Path):
    line = assert_one_line_error(run("check", "--bogus", "--lang", "id"), 2)
    assert line.startswith("'coursekit check' tidak punya opsi --bogus")


def test_a_forgotten_value_does_not_swallow_the_next_option(course: Path):
    """``--json --lang pt``: the student forgot the file name; the --lang after it still counts."""
    line = assert_one_line_error(run("check", "--json", "--lang", "pt"), 2)
    assert line.startswith("--json precisa de um valor"), line


# --- solution -------------------------------------------------------------------------------------


def test_solution_is_refused_until_the_exercise_passes_then_shown(course: Path):
    refused = run("solution", "ex02", "--lang", "pt")
    line = assert_one_line_error(refused, 1)
    assert "A solução de day1_basics/ex02_greet só aparece" in line
    assert 'f"Hello, {name}!"' not in refused.output

    solve(course, "day1_basics/ex02_greet")
    shown = run("solution", "ex02")
    assert shown.exit_code == 0, shown.output
    assert 'return f"Hello, {name}!"' in shown.output
    assert "solutions/day1_basics/ex02_greet.py" in shown.output


# --- reset -------------------------------------------------------------------------------------------


def test_reset_asks_and_keeps_the_file_when_declined(course: Path):
    exercise = course / "exercises" / "day1_basics" / "ex01_add.py"
    exercise.write_text("def add(a, b):\n    return 'my work'\n", encoding="utf-8")
    result = run("reset", "ex01", input="n\n")
    assert result.exit_code == 1, result.output
    assert "Replace exercises/day1_basics/ex01_add.py with the original template?" in result.output
    assert exercise.read_text(encoding="utf-8") == "def add(a, b):\n    return 'my work'\n"


def test_reset_restores_the_committed_template_and_backs_up_the_work(course: Path):
    exercise = course / "exercises" / "day1_basics" / "ex01_add.py"
    exercise.write_text("def add(a, b):\n    return 'my work'\n", encoding="utf-8")
    result = run("reset", "ex01", input="y\n")
    assert result.exit_code == 0, result.output
    assert exercise.read_text(encoding="utf-8") == TEMPLATES["day1_basics/ex01_add"]
    backups = list((course / ".coursekit" / "backups" / "exercises" / "day1_basics").glob("ex01_add.*.py"))
    assert [backup.read_text(encoding="utf-8") for backup in backups] == ["def add(a, b):\n    return 'my work'\n"]
    assert backups[0].relative_to(course).as_posix() in result.output
    assert git(course, "status", "--porcelain") == ""  # back to the clone's state; backups are git-ignored


def test_reset_understands_a_portuguese_yes(course: Path):
    exercise = course / "exercises" / "day1_basics" / "ex01_add.py"
    exercise.write_text("def add(a, b):\n    return 0\n", encoding="utf-8")
    result = run("reset", "ex01", "--lang", "pt", input="sim\n")
    assert result.exit_code == 0, result.output
    assert "[s/N]" in result.output and "voltou ao template original" in result.output
    assert exercise.read_text(encoding="utf-8") == TEMPLATES["day1_basics/ex01_add"]


def test_reset_yes_skips_the_question_and_restores_a_deleted_file(course: Path):
    exercise = course / "exercises" / "day2_more" / "ex03_double.py"
    exercise.unlink()
    result = run("reset", "ex03", "--yes")
    assert result.exit_code == 0, result.output
    assert exercise.read_text(encoding="utf-8") == TEMPLATES["day2_more/ex03_double"]


def test_reset_of_an_untouched_template_changes_nothing(course: Path):
    result = run("reset", "ex01", "--yes")
    assert result.exit_code == 0, result.output
    assert "already the original template" in result.output
    assert not (course / ".coursekit" / "backups").exists()


def test_reset_outside_git_is_one_clear_line(course: Path):
    import shutil

    shutil.rmtree(course / ".git")
    line = assert_one_line_error(run("reset", "ex01", "--yes"), 1)
    assert "Cannot find the original of exercises/day1_basics/ex01_add.py in git" in line


# --- watch -------------------------------------------------------------------------------------------


class Recorder:
    """Stands in for grading: which exercises were checked, and which pass."""

    def __init__(self, passing: set[str]) -> None:
        self.passing = passing
        self.checked: list[str] = []
        self.announced: list[str] = []

    def check(self, name: str) -> bool:
        self.checked.append(name)
        return name in self.passing


def make_watcher(tmp_path: Path, recorder: Recorder, done: set[str] = frozenset(), start: str = "a") -> ExerciseWatcher:
    for name in "abc":
        (tmp_path / f"{name}.py").write_text(f"# {name}\n", encoding="utf-8")
    return ExerciseWatcher(
        order=["a", "b", "c"], current=start, file_of=lambda name: tmp_path / f"{name}.py",
        check=recorder.check, is_done=lambda name: name in done, announce=recorder.announced.append,
    )


def test_watcher_checks_the_current_file_only_when_its_content_changes(tmp_path: Path):
    recorder = Recorder(passing=set())
    watcher = make_watcher(tmp_path, recorder)
    watcher.start()
    assert recorder.checked == ["a"] and recorder.announced == ["a"]
    (tmp_path / "b.py").write_text("# b, edited\n", encoding="utf-8")
    assert watcher.check_changes() is False  # another exercise's file changed, not this one
    (tmp_path / "a.py").write_text("# a, edited\n", encoding="utf-8")
    assert watcher.check_changes() is True
    assert watcher.check_changes() is False  # editors report one save twice: same bytes
    (tmp_path / "a.py").unlink()
    assert watcher.check_changes() is False  # mid-save, the file is briefly missing
    assert recorder.checked == ["a", "a"]


def test_watcher_moves_past_passing_exercises_and_finishes(tmp_path: Path):
    recorder = Recorder(passing={"a"})
    watcher = make_watcher(tmp_path, recorder, done={"b"})
    watcher.start()  # a passes at once; b already passes; c is next and is checked immediately
    assert recorder.checked == ["a", "c"] and watcher.current == "c"
    recorder.passing.add("c")
    (tmp_path / "c.py").write_text("# c, solved\n", encoding="utf-8")
    assert watcher.check_changes() is True
    assert watcher.finished


def test_watchdog_handler_queues_the_saved_file(tmp_path: Path):
    with observing(tmp_path) as saved:
        (tmp_path / "day1").mkdir()
        target = tmp_path / "day1" / "ex01.py"
        target.write_text("x = 1\n", encoding="utf-8")
        seen = set()
        while target not in seen:
            seen.add(saved.get(timeout=10))  # event-driven: returns as soon as watchdog reports


@pytest.mark.timeout(60)
def test_watch_folder_regrades_on_save_until_everything_passes(tmp_path: Path):
    class SolvedWhenWritten(Recorder):
        def check(self, name: str) -> bool:
            self.checked.append(name)
            return "solved" in (tmp_path / f"{name}.py").read_text(encoding="utf-8")

    recorder = SolvedWhenWritten(passing=set())
    watcher = make_watcher(tmp_path, recorder, done={"c"}, start="b")
    # The student saves while the watcher waits (or, on a slow machine, while it grades: both count).
    threading.Timer(0.2, (tmp_path / "b.py").write_text, args=("# b solved\n",)).start()
    before = threading.active_count()
    watch_folder(tmp_path, watcher)
    assert recorder.checked == ["b", "b"] and watcher.finished
    assert threading.active_count() <= before  # the observer threads were stopped


@pytest.mark.timeout(60)
def test_watch_folder_stops_its_observer_on_ctrl_c(tmp_path: Path):
    recorder = Recorder(passing=set())
    watcher = make_watcher(tmp_path, recorder)
    before = threading.active_count()
    ctrl_c = threading.Timer(0.3, signal.pthread_kill, args=(threading.main_thread().ident, signal.SIGINT))
    ctrl_c.start()
    with pytest.raises(KeyboardInterrupt):
        watch_folder(tmp_path, watcher)
    ctrl_c.join()
    assert recorder.checked == ["a"]  # checked once at start, then waited for a save
    assert threading.active_count() == before  # the observer threads were stopped and joined


def test_watch_command_checks_the_next_exercise_and_exits_cleanly_on_ctrl_c(course: Path, monkeypatch: pytest.MonkeyPatch):
    def start_then_interrupt(folder: Path, watcher: ExerciseWatcher) -> None:
        assert folder == course.resolve() / "exercises"
        watcher.start()
        raise KeyboardInterrupt

    monkeypatch.setattr("coursekit.cli.student.watch_folder", start_then_interrupt)
    solve(course, "day1_basics/ex01_add")
    result = run("watch", "--lang", "pt")
    assert result.exit_code == 0, result.output
    assert "Acompanhando day1_basics/ex02_greet" in result.output  # ex01 passes, so ex02 is next
    assert "Dica: Devolva uma f-string." in result.output  # it was checked at once
    assert "Acompanhamento encerrado" in result.output


def test_watch_ends_with_the_status_once_everything_from_its_start_passes(course: Path):
    solve(course, "day2_more/ex03_double")
    result = run("watch", "ex03")
    assert result.exit_code == 0, result.output
    assert "Watching day2_more/ex03_double" in result.output
    assert "✔ passed day2_more/ex03_double  10/10" in result.output
    # Earlier exercises are not done, so it does not congratulate: it shows what is left.
    assert "Next: day1_basics/ex01_add" in result.output
    assert "Congratulations" not in result.output


# --- verify, demo ------------------------------------------------------------------------------------


def test_verify_accepts_a_consistent_course(course: Path):
    result = run("verify")
    assert result.exit_code == 0, result.output
    assert "3 exercises verified" in result.output


def test_verify_lists_violations_and_exits_1(course: Path):
    (course / "solutions" / "day2_more" / "ex03_double.py").write_text("def double(x):\n    return x\n", encoding="utf-8")
    result = run("verify")
    assert result.exit_code == 1, result.output
    assert "day2_more/ex03_double" in result.output
    assert "1 problem(s)" in result.stderr


def write_guide(course: Path) -> None:
    (course / "modules" / "day1_basics" / "snippets").mkdir(parents=True)
    (course / "modules" / "day1_basics" / "snippets" / "hello.py").write_text('print("hi")\n', encoding="utf-8")
    for name in ("index.md", "index.pt.md", "index.id.md"):
        guide = '# Day 1\n\n```python\n--8<-- "modules/day1_basics/snippets/hello.py"\n```\n'
        (course / "modules" / "day1_basics" / name).write_text(guide, encoding="utf-8")


def test_notebooks_check_reports_stale_notebooks_until_they_are_generated(course: Path):
    write_guide(course)
    stale = run("notebooks", "--check")
    assert stale.exit_code == 1, stale.output
    assert "out of date: notebooks/pt/day1_basics.ipynb" in stale.output
    assert not (course / "notebooks").exists()  # --check writes nothing

    written = run("notebooks", "--lang", "pt")
    assert written.exit_code == 0, written.output
    notebook = json.loads((course / "notebooks" / "id" / "day1_basics.ipynb").read_text(encoding="utf-8"))
    assert any('print("hi")' in "".join(cell["source"]) for cell in notebook["cells"])

    fresh = run("notebooks", "--check")
    assert fresh.exit_code == 0, fresh.output
    assert "All notebooks are up to date." in fresh.output


def test_demo_streams_offline_and_names_the_provider(course: Path):
    result = run("demo", "--lang", "pt", env={"COURSE_FAKE_LATENCY": "none"})
    assert result.exit_code == 0, result.output
    assert "Modelo: fake (fake-streaming-1)" in result.output
    assert "> Em duas frases" in result.output
    answer = result.output.split("\n\n", 1)[1]
    assert len(answer.split()) > 10


def test_missing_api_key_is_one_line_and_exit_1(course: Path):
    result = run("demo", env={"COURSE_PROVIDER": "openai", "OPENAI_API_KEY": ""})
    line = assert_one_line_error(result, 1)
    assert "OPENAI_API_KEY" in line


def test_serve_refuses_an_unsafe_public_address_in_one_line(course: Path):
    line = assert_one_line_error(run("serve", "--host", "0.0.0.0", "--lang", "pt"), 1)
    assert line.startswith("O servidor não vai escutar em 0.0.0.0")


def test_python_m_coursekit_help_runs_as_a_program():
    result = subprocess.run([sys.executable, "-m", "coursekit", "--help"], capture_output=True, text=True, timeout=60, cwd=REPO_ROOT)
    assert result.returncode == 0, result.stderr
    for command in ("status", "check", "hint", "watch", "reset", "solution", "verify", "serve", "notebooks", "demo"):
        assert command in result.stdout


def test_new_scaffolds_an_exercise_that_verify_reports_at_its_todo(course: Path):
    result = run("new", "day1_basics/ex04_triple")
    assert result.exit_code == 0, result.output
    for path in ("exercises/day1_basics/ex04_triple.py", "solutions/day1_basics/ex04_triple.py",
                 "tests/exercises/day1_basics/test_ex04_triple.py", "tests/corpus/day1_basics/ex04_triple"):
        assert (course / path).exists(), path
    manifest = tomllib.loads((course / "course.toml").read_text(encoding="utf-8"))
    assert [entry["name"] for entry in manifest["exercises"]] == [
        "day1_basics/ex01_add", "day1_basics/ex02_greet", "day1_basics/ex04_triple", "day2_more/ex03_double"]
    verified = run("verify")
    assert verified.exit_code == 1
    mine = [line for line in verified.output.splitlines() if "ex04_triple" in line]
    assert any("the solution does not pass" in line and "TODO" in line for line in mine), verified.output
    assert any("needs at least 3 wrong" in line for line in mine), verified.output
    assert not any("template" in line for line in mine), verified.output  # the template fails at its TODO, as it must
    assert "already in course.toml" in assert_one_line_error(run("new", "day1_basics/ex04_triple"), 2)
    assert "not an exercise name" in assert_one_line_error(run("new", "triple"), 2)

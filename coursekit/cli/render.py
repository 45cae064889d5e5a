"""Rich output of the student loop: the check table, the progress table, hints and solutions.

Everything here takes the grader's result objects (:class:`~coursekit.grading.Report`,
:class:`~coursekit.grading.ExerciseResult`) or :class:`ExerciseProgress` and a
:class:`~rich.console.Console`, so the same rendering serves ``check``, ``watch`` and ``status``
and can be tested by reading what was printed.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.padding import Padding
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from coursekit.cli.progress import NOT_STARTED, PASS, ExerciseProgress, next_unfinished, summarise_days
from coursekit.i18n import t
from coursekit.manifest import Course, localized

if TYPE_CHECKING:
    from coursekit.grading import ExerciseResult, Report, TestResult

# How each grader status looks; unknown statuses are shown as they come, never hidden.
STATUS_STYLES = {
    PASS: ("✔", "green"),
    "fail": ("✘", "red"),
    "error": ("✘", "red"),
    NOT_STARTED: ("·", "dim"),
}
FAILED_TEST_STATUSES = {"fail", "error"}
OUTPUT_TAIL_LINES = 12  # enough of a failing test's output to see the assertion, short enough to read


def status_text(status: str, lang: str) -> Text:
    """``✔ passed`` / ``✘ falhou`` ...: the symbol and colour of a status, in the student's language."""
    symbol, style = STATUS_STYLES.get(status, ("?", "yellow"))
    key = f"cli.status_{status}"
    label = t(key, lang) if status in STATUS_STYLES else status
    return Text(f"{symbol} {label}", style=style)


def points_text(score: float, max_score: float) -> str:
    """``7/10`` without a trailing ``.0`` when the points are whole."""
    return f"{score:g}/{max_score:g}"


def render_check(console: Console, report: Report, hints: Mapping[str, str], files: Mapping[str, str], lang: str) -> None:
    """The table of graded exercises, then each failure's file, test messages and hint, then the score.

    ``hints`` maps exercise names to their hint already in ``lang``; ``files`` to the graded file.
    """
    table = Table(title=t("cli.check_title", lang), title_justify="left", expand=False)
    table.add_column(t("cli.column_exercise", lang), no_wrap=True)
    table.add_column(t("cli.column_status", lang), no_wrap=True)
    table.add_column(t("cli.column_tests", lang), justify="right", no_wrap=True)
    table.add_column(t("cli.column_points", lang), justify="right", no_wrap=True)
    for exercise in report.exercises:
        table.add_row(exercise.name, status_text(exercise.status, lang), tests_text(exercise.tests),
                      points_text(exercise.score, exercise.max_score))
    console.print(table)
    for exercise in report.exercises:
        if exercise.status != PASS:
            render_failure(console, exercise, hints.get(exercise.name, ""), files.get(exercise.name, ""), lang)
    every_test = [test for exercise in report.exercises for test in exercise.tests]
    console.print(Text(t("cli.score", lang, score=points_text(report.score, report.max_score),
                         tests=tests_text(every_test)), style="bold"))


def tests_text(tests: Sequence[TestResult]) -> str:
    """``5/6``: the tests that passed, of all the tests."""
    return f"{sum(test.status == PASS for test in tests)}/{len(tests)}"


def render_failure(console: Console, exercise: ExerciseResult, hint: str, file: str, lang: str) -> None:
    """What went wrong in one exercise: its file, its own message, each failing test, and the hint."""
    console.print()
    console.print(Text.assemble(
        status_text(exercise.status, lang), " ", Text(exercise.name, style="bold"), (f"  {file}" if file else "", "cyan")
    ))
    summary = exercise.message or ""
    if summary:
        console.print(indented(Text(summary), 2))
    for test in failing_tests(exercise.tests):
        console.print(indented(Text.assemble("• ", (test.name, "bold")), 2))
        message = test.message or ""
        if message and message not in summary:  # a timeout or a missing file is already said above
            console.print(indented(Text(message), 4))
        output = tail(test.output or "", OUTPUT_TAIL_LINES)
        if output and output.strip() != message.strip():
            console.print(indented(Text(output, style="dim"), 4))
    if hint:
        console.print(indented(Text.assemble((t("cli.hint_label", lang) + " ", "bold yellow"), hint), 2))


def render_exercise(console: Console, exercise: ExerciseResult, hint: str, file: str, lang: str) -> None:
    """One graded exercise without the table (what ``watch`` prints after each save)."""
    if exercise.status == PASS:
        points = points_text(exercise.score, exercise.max_score)
        console.print(Text.assemble(status_text(PASS, lang), " ", (exercise.name, "bold"), f"  {points}"))
    else:
        render_failure(console, exercise, hint, file, lang)


def failing_tests(tests: Iterable[TestResult]) -> list[TestResult]:
    """The tests worth showing: the ones that failed, errored or timed out."""
    return [test for test in tests if test.status in FAILED_TEST_STATUSES]


def tail(text: str, lines: int) -> str:
    """The last ``lines`` lines of ``text``, where a traceback's assertion lives."""
    return "\n".join(text.rstrip().splitlines()[-lines:])


def indented(text: Text, spaces: int) -> Padding:
    """``text`` shifted right, wrapped lines included."""
    return Padding(text, (0, 0, 0, spaces), expand=False)


def render_solution(console: Console, source: str, title: str) -> None:
    """A solution file, syntax-highlighted with line numbers."""
    console.print(Text(title, style="bold"))
    console.print(Syntax(source, "python", line_numbers=True, word_wrap=True))


def display_path(path: Path) -> str:
    """``path`` relative to the working directory when it is inside it, as students would type it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def render_status(console: Console, course: Course, progress: Sequence[ExerciseProgress], workspace: Path, lang: str) -> None:
    """The progress table by day, then the next exercise to do, its file and how to check it."""
    table = Table(title=localized(course.title, lang), title_justify="left")
    table.add_column(t("cli.column_day", lang), no_wrap=True)
    table.add_column(t("cli.column_topic", lang))
    table.add_column(t("cli.column_passed", lang), justify="right", no_wrap=True)
    table.add_column(t("cli.column_points", lang), justify="right", no_wrap=True)
    titles = {day.slug: localized(day.title, lang) for day in course.days}
    days = summarise_days([day.slug for day in course.days], progress)
    for day in days:
        style = "green" if day.total and day.passed == day.total else None
        if not day.total:
            table.add_row(day.day, titles.get(day.day, ""), t("cli.not_written_yet", lang), "", style="dim")
            continue
        table.add_row(day.day, titles.get(day.day, ""), f"{day.passed}/{day.total}",
                      points_text(day.score, day.max_score), style=style)
    console.print(table)
    passed = sum(day.passed for day in days)
    total = sum(day.total for day in days)
    score = points_text(sum(day.score for day in days), sum(day.max_score for day in days))
    console.print(Text(t("cli.status_total", lang, passed=passed, total=total, score=score), style="bold"))
    upcoming = next_unfinished(progress)
    if not progress:
        console.print(Text(t("cli.no_exercises", lang), style="yellow"))
        return
    if upcoming is None:
        console.print(Text(t("cli.all_done", lang), style="bold green"))
        return
    exercise = course.exercise(upcoming.name)
    console.print()
    console.print(Text.assemble(
        (t("cli.next_label", lang) + " ", "bold"), (exercise.name, "bold cyan"), " — ", localized(exercise.title, lang),
        " (", status_text(upcoming.status, lang), ")",
    ))
    console.print(Text(t("cli.next_file", lang, path=display_path(exercise.file_in(workspace)))))
    console.print(Text(t("cli.next_command", lang, check=f"{program()} check {exercise.stem}")))
    console.print(Text(t("cli.next_watch", lang, watch=f"{program()} watch")))


def program() -> str:
    """How to type ``coursekit`` here: bare when the shell finds this very one, else its path.

    After ``make start`` the venv is not activated, so a bare ``coursekit`` would be "command
    not found"; ``.venv/bin/coursekit`` works as printed.
    """
    script = Path(sys.prefix) / "bin" / "coursekit"
    found = shutil.which("coursekit")
    if not script.exists() or (found is not None and Path(found).resolve() == script.resolve()):
        return "coursekit"
    return display_path(script)


class GradingReporter:
    """A dim line as each exercise finishes, so a long check is visibly alive.

    Plain lines, not a Rich spinner: a spinner runs a thread, and the grader only forks its fast
    children while the process has a single thread.
    """

    def __init__(self, console: Console, lang: str) -> None:
        self.console = console
        self.lang = lang
        self.total = 0
        self.done = 0

    def start(self, count: int) -> None:
        self.total, self.done = count, 0
        self.console.print(Text(t("cli.grading", self.lang, count=count), style="dim"))

    def graded_in(self, sandbox: str, *, asked: str) -> None:
        """Say which sandbox graded; one line of advice when bubblewrap was wanted but is missing."""
        if sandbox == "bwrap":
            self.console.print(Text(t("cli.graded_in_bwrap", self.lang), style="dim"))
        elif asked == "auto" and sys.platform == "linux":
            self.console.print(Text(t("cli.graded_without_sandbox", self.lang), style="yellow"))

    def finished(self, result: ExerciseResult) -> None:
        self.done += 1
        self.console.print(Text.assemble(
            f"  [{self.done}/{self.total}] ", status_text(result.status, self.lang), f" {result.name}", style="dim"
        ))

"""``coursekit grade-class``: the instructor's command for a whole class, with a Rich progress bar.

The work is :func:`coursekit.grade_class.grade_class`; this module turns the command line into
its options, shows students done, time left and submissions not graded so far, and makes
Ctrl+C (or a ``kill``) stop cleanly: workers stopped, every finished grade kept, the class
reports written from what is finished, exit code 130.
"""

from __future__ import annotations

import signal
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.text import Text

from coursekit.cli import render
from coursekit.cli.errors import CourseUsageError, language_in_argv
from coursekit.cli.help import help_text, metavar
from coursekit.cli.options import Lang, session, value_not_an_option
from coursekit.cli.student import check_sandbox, console
from coursekit.i18n import current_language, t

INTERRUPTED_EXIT_CODE = 130


def _argv_language() -> str:
    """Options are checked while the command line is parsed: ``--lang`` may come after them."""
    return current_language(language_in_argv(sys.argv[1:]))


def _positive(ctx: typer.Context, param: typer.CallbackParam, value: float | None) -> float | None:
    if value is not None and not value > 0:
        raise CourseUsageError(t("cli.class_bad_limit", _argv_language(), option=param.opts[0], value=value))
    return value


def _at_least_one(ctx: typer.Context, param: typer.CallbackParam, value: int | None) -> int | None:
    if value is not None and value < 1:
        raise CourseUsageError(t("cli.class_bad_jobs", _argv_language(), option=param.opts[0], value=value))
    return value


@contextmanager
def _terminate_as_interrupt():
    """A ``kill`` (SIGTERM) stops the class like Ctrl+C does, so it too keeps every finished grade."""
    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def grade_class(
    ctx: typer.Context,
    submissions: Annotated[Path, typer.Argument(metavar=metavar("dir"), help=help_text("class_submissions"))],
    out: Annotated[Path, typer.Option("--out", metavar=metavar("dir"), callback=value_not_an_option, help=help_text("class_out"))],
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", metavar=metavar("count"), callback=_at_least_one, show_default=False,
                                             help=help_text("class_jobs"))] = None,
    tests: Annotated[Path | None, typer.Option("--tests", metavar=metavar("dir"), show_default=False, callback=value_not_an_option,
                                               help=help_text("class_tests"))] = None,
    sandbox: Annotated[str, typer.Option("--sandbox", metavar="auto|bwrap|none", callback=check_sandbox,
                                         help=help_text("check_sandbox"))] = "auto",
    resume: Annotated[bool, typer.Option("--resume", help=help_text("class_resume"))] = False,
    only: Annotated[list[str] | None, typer.Option("--only", metavar=metavar("name_or_day"), show_default=False,
                                                   callback=value_not_an_option, help=help_text("class_only"))] = None,
    cpu_limit: Annotated[float | None, typer.Option("--cpu-limit", metavar=metavar("seconds"), show_default=False,
                                                    callback=_positive, help=help_text("class_cpu_limit"))] = None,
    wall_limit: Annotated[float | None, typer.Option("--wall-limit", metavar=metavar("seconds"), show_default=False,
                                                     callback=_positive, help=help_text("class_wall_limit"))] = None,
    lang: Lang = None,
) -> None:
    """Grade every submission of a class; exit 0 once all are graded, 130 when stopped."""
    from coursekit.grade_class import ClassEvents, ClassOptions, ClassSummary
    from coursekit.grade_class import grade_class as grade_the_class
    from coursekit.grade_class.overlay import InstructorTestsError
    from coursekit.grading import DEFAULT_JOBS
    from coursekit.grading.sandbox import SandboxUnavailable

    current = session(ctx, lang)
    language = current.lang
    if not submissions.is_dir():
        raise CourseUsageError(t("cli.class_no_submissions", language, path=submissions))
    if tests is not None and not tests.is_dir():
        raise CourseUsageError(t("cli.class_tests_missing", language, path=tests))
    resolved_out, folder = out.resolve(), submissions.resolve()
    if resolved_out == folder or folder.is_relative_to(resolved_out):
        raise CourseUsageError(t("cli.class_out_holds_submissions", language, path=out))
    if resolved_out.parent != folder and resolved_out.is_relative_to(folder):
        raise CourseUsageError(t("cli.class_out_inside_submission", language, path=out))
    names = [exercise.name for exercise in current.select(only)] if only else None
    options = ClassOptions(submissions.resolve(), resolved_out, language, names, jobs or DEFAULT_JOBS,
                           tests.resolve() if tests else None, sandbox, resume, cpu_limit, wall_limit)
    out_console = console()
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[failures]}"),
                        TimeElapsedColumn(), TextColumn("/"), TimeRemainingColumn(), console=out_console, transient=False)
    task: list[TaskID] = []

    def planned(summary: ClassSummary) -> None:
        out_console.print(Text(t("cli.class_plan", language, students=summary.students, to_grade=summary.to_grade,
                                 skipped=summary.skipped, sandbox=summary.sandbox)))
        task.append(progress.add_task(t("cli.class_progress", language), total=summary.to_grade,
                                      failures=t("cli.class_progress_failures", language, count=0)))
        progress.start()

    def finished(student: str, report: dict[str, Any], summary: ClassSummary) -> None:
        progress.update(task[0], advance=1, failures=t("cli.class_progress_failures", language, count=summary.errors))

    summary = ClassSummary()
    events = ClassEvents(planned=planned, finished=finished)
    try:
        with _terminate_as_interrupt():
            summary = grade_the_class(current.course, options, events)
    except KeyboardInterrupt:
        progress.stop()
        done = progress.tasks[0].completed if progress.tasks else 0
        total = progress.tasks[0].total if progress.tasks else 0
        out_console.print(Text(t("cli.class_interrupted", language, graded=int(done), to_grade=int(total or 0)), style="yellow"))
        raise typer.Exit(INTERRUPTED_EXIT_CODE) from None
    except SandboxUnavailable:
        raise CourseUsageError(t("cli.no_bwrap", language)) from None
    except InstructorTestsError as error:
        key = "cli.class_tests_unknown" if error.kind == "unknown" else "cli.class_tests_syntax"
        raise CourseUsageError(t(key, language, path=render.display_path(error.path))) from None
    finally:
        progress.stop()
    out_console.print(Text(t("cli.class_done", language, graded=summary.graded, errors=summary.errors, skipped=summary.skipped)))
    out_console.print(Text(t("cli.class_reports", language, path=render.display_path(options.out))))

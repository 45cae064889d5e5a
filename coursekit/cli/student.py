"""The student loop: ``status``, ``check``, ``hint``, ``watch``, ``reset`` and ``solution``.

Each command translates its arguments through the :class:`Session`, does one thing, prints
with :mod:`coursekit.cli.render` and exits 0 (all good), 1 (something to fix) or 2 (the
command line names something that does not exist).
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.text import Text

from coursekit.cli import render
from coursekit.cli.errors import CourseCLIError, CourseUsageError
from coursekit.cli.help import help_text, metavar
from coursekit.cli.options import Lang, session, value_not_an_option
from coursekit.cli.progress import PASS
from coursekit.cli.reset import TemplateNotFound, committed_version, restore_template
from coursekit.cli.session import Session
from coursekit.cli.watch import ExerciseWatcher, watch_folder
from coursekit.i18n import current_language, t
from coursekit.manifest import localized

SANDBOX_CHOICES = ("auto", "bwrap", "none")

if TYPE_CHECKING:
    from coursekit.grading import Report


def console(*, stderr: bool = False) -> Console:
    """A console on the current stdout (looked up per call, so test runners can capture it)."""
    return Console(highlight=False, stderr=stderr)


def status(ctx: typer.Context, lang: Lang = None) -> None:
    """Progress by day and the next exercise; grades only files changed since their last grade."""
    show_status(session(ctx, lang))


def show_status(current: Session) -> None:
    out = console()
    progress = current.progress(render.GradingReporter(out, current.lang))
    render.render_status(out, current.course, progress, current.workspace, current.lang)


def check(
    ctx: typer.Context,
    names: Annotated[list[str] | None, typer.Argument(metavar=metavar("name_or_day"), show_default=False,
                                                      help=help_text("check_names"))] = None,
    target: Annotated[list[str] | None, typer.Option("--target", metavar=metavar("dir"), show_default=False, callback=value_not_an_option,
                                                     help=help_text("check_target"))] = None,
    json_file: Annotated[str | None, typer.Option("--json", metavar=metavar("file"), show_default=False,
                                                  callback=value_not_an_option,
                                                  help=help_text("check_json"))] = None,
    sandbox: Annotated[str, typer.Option("--sandbox", metavar="auto|bwrap|none", callback=check_sandbox,
                                         help=help_text("check_sandbox"))] = "auto",
    lang: Lang = None,
) -> None:
    """Grade exercises and show what fails and why; exit 0 only when every one passes."""
    current = session(ctx, lang)
    exercises = current.select(names)
    folder = current.target(one_target(target, current.lang))
    # With the results on standard output, the table goes to standard error.
    out = console(stderr=json_file == "-")
    report = current.grade(exercises, folder, render.GradingReporter(out, current.lang), sandbox=sandbox)
    if json_file == "-":
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    elif json_file is not None:
        write_json(Path(json_file), report, current.lang)
    hints = {exercise.name: localized(exercise.hint, current.lang) for exercise in exercises}
    files = {exercise.name: render.display_path(exercise.file_in(folder)) for exercise in exercises}
    render.render_check(out, report, hints, files, current.lang)
    if json_file not in (None, "-"):
        out.print(Text(t("cli.json_written", current.lang, path=render.display_path(Path(json_file)))))
    raise typer.Exit(0 if all(result.status == PASS for result in report.exercises) else 1)


def one_target(values: list[str] | None, lang: str) -> str | None:
    """``--target`` given twice would silently grade only the last folder: refuse it instead."""
    if values and len(values) > 1:
        raise CourseUsageError(t("cli.target_repeated", lang, targets=", ".join(values)))
    return values[0] if values else None


def check_sandbox(value: str) -> str:
    if value not in SANDBOX_CHOICES:
        raise CourseUsageError(t("cli.bad_sandbox", current_language(), value=value, choices=", ".join(SANDBOX_CHOICES)))
    return value


def write_json(path: Path, report: Report, lang: str) -> None:
    """Write results.json for instructors' tools; an unwritable path is the student's to fix."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        report.write_json(path)
    except OSError as error:
        raise CourseCLIError(t("cli.json_unwritable", lang, path=path, reason=error.strerror or error)) from None


def hint(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(metavar=metavar("name"), show_default=False, help=help_text("hint_name"))] = None,
    more: Annotated[bool, typer.Option("--more", help=help_text("hint_more"))] = False,
    lang: Lang = None,
) -> None:
    """The exercise's hint in the student's language (the current exercise's, without a name).

    The first hint names the concept; ``--more`` shows the code-level step.
    """
    current = session(ctx, lang)
    exercise = current.one(name) if name else current.current()
    out = console()
    out.print(Text.assemble((exercise.name, "bold cyan"), " — ", localized(exercise.title, current.lang)))
    out.print(Text.assemble((t("cli.hint_label", current.lang) + " ", "bold yellow"), localized(exercise.hint, current.lang)))
    if not exercise.more:
        return
    if more:
        out.print(Text.assemble((t("cli.more_label", current.lang) + " ", "bold yellow"), localized(exercise.more, current.lang)))
    else:
        out.print(Text(t("cli.more_available", current.lang, command=f"{render.program()} hint {exercise.stem} --more"), style="dim"))


def task(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(metavar=metavar("name"), show_default=False, help=help_text("hint_name"))] = None,
    lang: Lang = None,
) -> None:
    """The exercise's task statement in the student's language (the current exercise's, without a name)."""
    current = session(ctx, lang)
    exercise = current.one(name) if name else current.current()
    out = console()
    out.print(Text.assemble((exercise.name, "bold cyan"), " — ", localized(exercise.title, current.lang)))
    out.print(Text(t("cli.next_file", current.lang, path=render.display_path(exercise.file_in(current.workspace)))))
    out.print()
    out.print(Text(localized(exercise.task, current.lang) if exercise.task else t("cli.no_task", current.lang)))


def solution(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar=metavar("name"), help=help_text("name"))],
    lang: Lang = None,
) -> None:
    """The reference solution, only once the student's own version passes (as rustlings does)."""
    current = session(ctx, lang)
    exercise = current.one(name)
    out = console()
    if not current.passes(exercise, render.GradingReporter(out, current.lang)):
        raise CourseCLIError(t("cli.solution_locked", current.lang, name=exercise.name, command=f"{render.program()} hint {exercise.stem}"))
    render.render_solution(out, exercise.solution.read_text(encoding="utf-8"), render.display_path(exercise.solution))


def reset(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar=metavar("name"), help=help_text("name"))],
    yes: Annotated[bool, typer.Option("--yes", "-y", help=help_text("reset_yes"))] = False,
    lang: Lang = None,
) -> None:
    """Put the committed template back, after confirmation and with a backup of the current file."""
    current = session(ctx, lang)
    exercise = current.one(name)
    file = exercise.file_in(current.workspace)
    shown = render.display_path(file)
    try:
        template = committed_version(current.root, file)
    except TemplateNotFound:
        raise CourseCLIError(t("cli.reset_no_template", current.lang, path=shown)) from None
    out = console()
    if file.is_file() and file.read_bytes() == template:
        out.print(Text(t("cli.reset_unchanged", current.lang, path=shown)))
        return
    if not yes and not confirm(t("cli.reset_confirm", current.lang, path=shown), current.lang):
        out.print(Text(t("cli.reset_declined", current.lang, path=shown)))
        raise typer.Exit(1)
    backup = restore_template(current.root, file, template)
    out.print(Text(t("cli.reset_done", current.lang, path=shown), style="green"))
    if backup is not None:
        out.print(Text(t("cli.reset_backup", current.lang, path=render.display_path(backup))))


def confirm(question: str, lang: str) -> bool:
    """Ask a yes/no question answered in the student's language (``s``/``sim`` in Portuguese).

    Anything but a clear yes is a no: nothing is overwritten on a typo.
    """
    answer = typer.prompt(f"{question} {t('cli.yes_no_choices', lang)}", default="", show_default=False)
    return answer.strip().lower() in t("cli.yes_words", lang).split(",")


def watch(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(metavar=metavar("name"), show_default=False, help=help_text("watch_name"))] = None,
    lang: Lang = None,
) -> None:
    """Re-check the current exercise on every save and move on once it passes; Ctrl-C stops."""
    current = session(ctx, lang)
    out = console()
    if name is not None:
        start = current.one(name).name
    else:
        progress = current.progress(render.GradingReporter(out, current.lang))
        upcoming = next((item for item in progress if not item.passed), None)
        if upcoming is None:
            out.print(Text(t("cli.all_done", current.lang), style="bold green"))
            return
        start = upcoming.name
    watcher = exercise_watcher(current, out, start)
    try:
        watch_folder(current.workspace, watcher)
    except KeyboardInterrupt:
        out.print(Text(t("cli.watch_stopped", current.lang)))
        return
    out.print()
    show_status(current)  # everything from the start passes; the table tells whether anything before it is left


def exercise_watcher(current: Session, out: Console, start: str) -> ExerciseWatcher:
    """An :class:`ExerciseWatcher` that grades the student's folder and prints like ``check``."""
    course = current.course

    def check_one(name: str) -> bool:
        exercise = course.exercise(name)
        out.rule(f"{name} · {datetime.now():%H:%M:%S}", style="dim")
        (result,) = current.grade([exercise], current.workspace).exercises
        file = render.display_path(exercise.file_in(current.workspace))
        render.render_exercise(out, result, localized(exercise.hint, current.lang), file, current.lang)
        return result.status == PASS

    def is_done(name: str) -> bool:
        cached = current.cached_result(course.exercise(name))
        return cached is not None and cached.status == PASS

    def announce(name: str) -> None:
        out.print()
        path = render.display_path(course.exercise(name).file_in(current.workspace))
        out.print(Text(t("cli.watching", current.lang, name=name, path=path), style="bold"))

    return ExerciseWatcher(
        order=[exercise.name for exercise in course.exercises],
        current=start,
        file_of=lambda name: course.exercise(name).file_in(current.workspace),
        check=check_one,
        is_done=is_done,
        announce=announce,
    )

"""``coursekit``: the Typer application and its entry point.

With no command it shows ``status``, so ``make start`` and a bare ``coursekit`` both answer the
student's first question: where am I, and what do I do next?
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coursekit.cli import authoring, grade_class, platforms, student
from coursekit.cli.group import CourseGroup
from coursekit.cli.help import CourseCommand, frame_text, help_text, metavar
from coursekit.cli.options import GlobalOptions, Lang, session, value_not_an_option

app = typer.Typer(
    cls=CourseGroup,
    name="coursekit",
    help=help_text("app"),
    invoke_without_command=True,
    pretty_exceptions_enable=False,  # expected errors are one line; real bugs keep a plain traceback
    add_completion=False,
    rich_markup_mode="rich",
    options_metavar=frame_text("options_metavar"),  # inherited by every command
    subcommand_metavar=frame_text("subcommand_metavar"),
)


@app.callback()
def entry(
    ctx: typer.Context,
    root: Annotated[Path | None, typer.Option("--root", envvar="COURSE_ROOT", metavar=metavar("dir"), file_okay=False,
                                              show_default=False, callback=value_not_an_option,
                                              help=help_text("root"))] = None,
    lang: Lang = None,
) -> None:
    """Remember the global options; with no command, show the student's status."""
    ctx.obj = GlobalOptions(root=root, lang=lang)
    if ctx.invoked_subcommand is None:
        student.show_status(session(ctx, None))


for command, name in [
    (student.status, "status"),
    (student.check, "check"),
    (student.task, "task"),
    (student.hint, "hint"),
    (student.watch, "watch"),
    (student.reset, "reset"),
    (student.solution, "solution"),
    (authoring.verify, "verify"),
    (authoring.new, "new"),
    (authoring.serve, "serve"),
    (authoring.notebooks, "notebooks"),
    (authoring.demo, "demo"),
    (grade_class.grade_class, "grade-class"),
]:
    app.command(name, cls=CourseCommand, help=help_text(name))(command)
app.add_typer(platforms.gradescope_app, name="gradescope", help=help_text("gradescope"))
app.add_typer(platforms.classroom_app, name="classroom", help=help_text("classroom"))


def main() -> None:
    """Console-script entry point (``coursekit``) and ``python -m coursekit``."""
    app()

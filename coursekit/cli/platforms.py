"""``coursekit gradescope`` and ``coursekit classroom``: grading on the platforms instructors already use.

``gradescope build`` writes the autograder zip an instructor uploads; ``gradescope run`` is what
its ``run_autograder`` calls inside Gradescope. ``classroom init`` writes the GitHub Classroom
workflow into the course repository; ``classroom report`` is what that workflow calls to turn
``results.json`` into the reporter's step output. The work is in :mod:`coursekit.platforms`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from coursekit.cli.errors import CourseCLIError, CourseUsageError
from coursekit.cli.group import CourseGroup
from coursekit.cli.help import CourseCommand, frame_text, help_text, metavar
from coursekit.cli.options import GlobalOptions, Lang, session, value_not_an_option
from coursekit.i18n import t


def _group(name: str) -> typer.Typer:
    """A sub-command group framed like the top-level one, in the student's language."""
    return typer.Typer(cls=CourseGroup, help=help_text(name), no_args_is_help=True, add_completion=False,
                       options_metavar=frame_text("options_metavar"), subcommand_metavar=frame_text("subcommand_metavar"))


def _group_language(ctx: typer.Context, lang: Lang = None) -> None:
    """``coursekit gradescope --lang pt …`` as ``coursekit --lang pt gradescope …``."""
    if lang is not None:
        options = ctx.find_object(GlobalOptions) or GlobalOptions(None, None)
        ctx.obj = GlobalOptions(options.root, lang)


gradescope_app = _group("gradescope")
classroom_app = _group("classroom")
for _app in (gradescope_app, classroom_app):
    _app.callback()(_group_language)

Names = Annotated[list[str] | None, typer.Argument(metavar=metavar("name_or_day"), show_default=False,
                                                   help=help_text("platform_names"))]


def _console() -> Console:
    return Console(highlight=False, soft_wrap=True)


def _choice(value: str, choices: tuple[str, ...], option: str, lang: str) -> str:
    if value not in choices:
        raise CourseUsageError(t("cli.bad_choice", lang, option=option, value=value, choices=", ".join(choices)))
    return value


@gradescope_app.command("build", cls=CourseCommand, help=help_text("gradescope_build"))
def gradescope_build(
    ctx: typer.Context,
    names: Names = None,
    out: Annotated[Path, typer.Option("--out", metavar=metavar("file"), callback=value_not_an_option, dir_okay=False,
                                      help=help_text("gradescope_out"))] = Path("autograder.zip"),
    visibility: Annotated[str, typer.Option("--visibility", metavar="visible|hidden|after_due_date|after_published",
                                            callback=value_not_an_option, help=help_text("gradescope_visibility"))] = "visible",
    sandbox: Annotated[str, typer.Option("--sandbox", metavar="auto|bwrap|none", callback=value_not_an_option,
                                         help=help_text("gradescope_sandbox"))] = "auto",
    lang: Lang = None,
) -> None:
    """Write Gradescope's autograder bundle for the chosen exercises (the whole course by default)."""
    from coursekit.cli.render import display_path
    from coursekit.platforms.gradescope import SANDBOXES, VISIBILITIES, build_bundle

    current = session(ctx, lang)
    _choice(visibility, VISIBILITIES, "--visibility", current.lang)
    _choice(sandbox, SANDBOXES, "--sandbox", current.lang)
    exercises = current.select(names)
    try:
        build_bundle(current.course, exercises, out, lang=current.lang, visibility=visibility, sandbox=sandbox)
    except OSError as error:
        raise CourseCLIError(t("cli.json_unwritable", current.lang, path=out, reason=error.strerror or error)) from None
    points = sum(exercise.points for exercise in exercises)
    out_console = _console()
    out_console.print(Text(t("cli.gradescope_written", current.lang, path=display_path(out), count=len(exercises), points=points)))
    out_console.print(Text(t("cli.gradescope_next", current.lang), style="bold"))


@gradescope_app.command("run", cls=CourseCommand, help=help_text("gradescope_run"))
def gradescope_run(
    ctx: typer.Context,
    autograder: Annotated[str | None, typer.Option("--autograder", metavar=metavar("dir"), callback=value_not_an_option,
                                                   show_default=False, help=help_text("gradescope_autograder"))] = None,
    lang: Lang = None,
) -> None:
    """Inside Gradescope: grade /autograder/submission into /autograder/results/results.json."""
    from coursekit.platforms.gradescope import GradescopeError, autograder_root, run_autograder

    current = session(ctx, lang)
    root = autograder_root(autograder)
    try:
        output = run_autograder(current.course, root)
    except GradescopeError as error:
        raise CourseCLIError(str(error)) from None
    # Gradescope keeps this for instructors (results/stdout); students read the JSON's "output".
    print(output["output"])
    for test in output["tests"]:
        print(f"{test['status']:>6}  {test['score']}/{test['max_score']}  {test['name']}")


@classroom_app.command("init", cls=CourseCommand, help=help_text("classroom_init"))
def classroom_init(
    ctx: typer.Context,
    names: Names = None,
    force: Annotated[bool, typer.Option("--force", help=help_text("classroom_force"))] = False,
    lang: Lang = None,
) -> None:
    """Write .github/workflows/classroom.yml into the course repository."""
    from coursekit.platforms.classroom import WORKFLOW_PATH, workflow

    current = session(ctx, lang)
    chosen = [exercise.name for exercise in current.select(names)] if names else []
    text = workflow(chosen, current.lang)
    path = current.root / WORKFLOW_PATH
    if path.exists() and path.read_text(encoding="utf-8") != text and not force:
        raise CourseCLIError(t("cli.classroom_exists", current.lang, path=WORKFLOW_PATH))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    out = _console()
    out.print(Text(t("cli.classroom_written", current.lang, path=WORKFLOW_PATH)))
    out.print(Text(t("cli.classroom_next", current.lang), style="bold"))


@classroom_app.command("report", cls=CourseCommand, help=help_text("classroom_report"))
def classroom_report(
    ctx: typer.Context,
    results: Annotated[Path, typer.Argument(metavar=metavar("file"), help=help_text("classroom_results"))],
    lang: Lang = None,
) -> None:
    """Print the reporter's step output (``result=<base64 JSON>``) for a results.json."""
    from coursekit.platforms.classroom import step_output

    current = session(ctx, lang)
    try:
        data = json.loads(results.read_text(encoding="utf-8"))
        line = step_output(data)
    except OSError as error:
        raise CourseCLIError(t("cli.classroom_no_results", current.lang, path=results, reason=error.strerror or error)) from None
    except (ValueError, KeyError, TypeError, AttributeError):
        raise CourseCLIError(t("cli.classroom_bad_results", current.lang, path=results)) from None
    sys.stdout.write(line + "\n")

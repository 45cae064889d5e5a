"""Commands around the student loop: ``verify`` for authors and CI, ``serve``, ``notebooks``, ``demo``.

They hand over to the module that owns the work (grading, server, notebooks, providers) and
only translate its expected failures into one line and an exit code.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated
from unittest.mock import patch

import typer
from rich.console import Console
from rich.text import Text

from coursekit.cli.errors import CourseCLIError, CourseUsageError
from coursekit.cli.help import help_text, metavar
from coursekit.cli.options import Lang, session, value_not_an_option
from coursekit.i18n import t


def verify(ctx: typer.Context, lang: Lang = None) -> None:
    """Check the course itself: manifest, files, solutions passing and templates failing."""
    from coursekit.grading import verify_course
    from coursekit.grading.corpus import verify_corpus

    current = session(ctx, lang)
    out = Console(highlight=False)
    out.print(Text(t("cli.verifying", current.lang), style="dim"))  # no spinner thread: the grader forks
    violations = verify_course(current.course, lang=current.lang)
    corpus = verify_corpus(current.course, lang=current.lang)
    violations += corpus.violations
    out.print(Text(t("cli.verify_corpus", current.lang, wrong=corpus.wrong, right=corpus.right)))
    for violation in violations:
        out.print(Text(f"✘ {violation}", style="red"), soft_wrap=True)  # one line per violation, for CI logs
    if violations:
        raise CourseCLIError(t("cli.verify_failed", current.lang, count=len(violations)))
    out.print(Text(t("cli.verify_ok", current.lang, count=len(current.course.exercises)), style="green"))


def new(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar=metavar("name"), help=help_text("new_name"))],
    lang: Lang = None,
) -> None:
    """Scaffold an exercise: template, solution, test, corpus folder and manifest entry."""
    from coursekit.cli.render import display_path, program
    from coursekit.scaffold import ScaffoldError, scaffold

    current = session(ctx, lang)
    try:
        written = scaffold(name, current.course, current.lang)
    except ScaffoldError as error:
        raise CourseUsageError(str(error)) from None
    out = Console(highlight=False)
    for path in written:
        out.print(Text(t("authoring.new_written", current.lang, path=display_path(path))))
    out.print(Text(t("authoring.new_next", current.lang, command=f"{program()} verify"), style="bold"))


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", metavar=metavar("host"), callback=value_not_an_option,
                                          help=help_text("serve_host"))] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", metavar=metavar("port"), min=1, max=65535,
                                      help=help_text("serve_port"))] = 8000,
    workers: Annotated[int, typer.Option("--workers", metavar=metavar("count"), min=1,
                                         help=help_text("serve_workers"))] = 1,
    lang: Lang = None,
) -> None:
    """Run the day-3 reference server until Ctrl-C."""
    from coursekit.providers import UnknownProviderError
    from coursekit.server import ServerConfigError, run

    current = session(ctx, lang)
    try:
        # The server words its own messages from COURSE_LANG; make it agree with --lang.
        with patch.dict(os.environ, {"COURSE_LANG": current.lang}):
            run(host, port, workers)
    except (ServerConfigError, UnknownProviderError) as error:
        raise CourseCLIError(str(error)) from None


def notebooks(
    ctx: typer.Context,
    check: Annotated[bool, typer.Option("--check", help=help_text("notebooks_check"))] = False,
    lang: Lang = None,
) -> None:
    """(Re)generate the notebooks from the guide, or only check that they are up to date."""
    from coursekit.guides import GuideError
    from coursekit.notebooks import build_notebooks

    current = session(ctx, lang)
    out = Console(highlight=False)
    try:
        changed = build_notebooks(check=check, root=current.root)
    except GuideError as error:
        raise CourseCLIError(str(error)) from None
    key = "notebooks.stale" if check else "notebooks.written"
    for path in changed:
        out.print(Text(t(key, current.lang, path=path.relative_to(current.root).as_posix())), soft_wrap=True)
    if not changed:
        out.print(Text(t("notebooks.up_to_date", current.lang), style="green"))
    if check and changed:
        raise typer.Exit(1)


def demo(ctx: typer.Context, lang: Lang = None) -> None:
    """Stream a short answer token by token and say which provider produced it."""
    from coursekit.demo import run_demo
    from coursekit.providers import UnknownProviderError

    current = session(ctx, lang)
    try:
        run_demo(sys.stdout, current.lang)
    except UnknownProviderError as error:
        raise CourseCLIError(str(error)) from None

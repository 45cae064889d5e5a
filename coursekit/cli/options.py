"""Options shared by several commands, and the per-invocation :class:`Session` behind them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from typer._click import exceptions as click_errors

from coursekit.cli.errors import CourseUsageError
from coursekit.cli.help import help_text
from coursekit.cli.session import Session, find_root
from coursekit.i18n import LANGUAGES, current_language, t


def check_language(value: str | None) -> str | None:
    """Refuse ``--lang fr`` with the list of languages, in a language the student can read."""
    if value is not None and value not in LANGUAGES:
        raise CourseUsageError(t("cli.bad_language", current_language(), value=value, choices=", ".join(LANGUAGES)))
    return value


def value_not_an_option(ctx: typer.Context, param: typer.CallbackParam, value: Any) -> Any:
    """Refuse an option's value that is another option: its real value was forgotten.

    In ``check --json --lang pt``, Click would take ``--lang`` as the file name and ``pt`` as an
    exercise, and the student would read "no exercise called 'pt'". This gives the same error as
    ``--json`` at the end of the line.
    """
    values = value if isinstance(value, list) else [value]
    if value is not None and any(str(item).startswith("--") for item in values):
        name = param.opts[0]
        raise click_errors.BadOptionUsage(name, f"Option {name!r} requires an argument.", ctx)
    return value


Lang = Annotated[
    str | None,
    typer.Option("--lang", metavar="en|pt|id", callback=check_language, show_default=False,
                 help=help_text("lang")),
]


@dataclass(frozen=True)
class GlobalOptions:
    """What ``coursekit [--root DIR] [--lang L]`` sets before the command name."""

    root: Path | None
    lang: str | None


def session(ctx: typer.Context, lang: str | None) -> Session:
    """The session of this invocation: the command's ``--lang`` wins over the global one."""
    options = ctx.find_object(GlobalOptions) or GlobalOptions(None, None)
    root = options.root.resolve() if options.root else find_root(Path.cwd())
    return Session(root=root, lang=current_language(lang or options.lang))

"""Help texts in the student's language, and the frame Typer draws around them.

Click builds ``--help`` from strings fixed when the commands are declared, so the language is
chosen once, at import: ``--lang`` if it is on the command line, else ``COURSE_LANG``, else the
locale. ``coursekit --lang pt --help`` and a Portuguese laptop both get Portuguese help.

Typer frames those texts with words of its own, always in English: the ``Usage:`` line, the
panel titles, ``[required]``, ``[default: …]``, the ``--help`` option's own description, a
``<bool>`` type beside every switch and a Python type (``<str>``, ``<list[str]>``) beside every
argument. :class:`LocalisedHelp` gives the frame the same language as the texts, so a student
reads one language from top to bottom.
"""

from __future__ import annotations

import sys
from typing import Any

from typer._click import Context, HelpFormatter, Parameter
from typer.core import TyperArgument, TyperCommand

from coursekit.cli.errors import language_in_argv
from coursekit.i18n import current_language, t

HELP_LANGUAGE = current_language(language_in_argv(sys.argv[1:]))

#: The module constants Typer's ``rich_utils`` reads each time it prints help, and the
#: ``cli.frame_*`` message that replaces each one.
RICH_FRAME = {
    "ARGUMENTS_PANEL_TITLE": "arguments",
    "OPTIONS_PANEL_TITLE": "options",
    "COMMANDS_PANEL_TITLE": "commands",
    "REQUIRED_LONG_STRING": "required",
    "DEFAULT_STRING": "default",
    "ENVVAR_STRING": "envvar",
}


def help_text(key: str) -> str:
    """The help text ``cli.help_<key>`` in :data:`HELP_LANGUAGE`."""
    return t(f"cli.help_{key}", HELP_LANGUAGE)


def frame_text(key: str) -> str:
    """The frame word ``cli.frame_<key>`` in :data:`HELP_LANGUAGE`.

    A ``{value}`` in it comes out as ``{}``: Typer fills those strings with ``str.format``.
    """
    return t(f"cli.frame_{key}", HELP_LANGUAGE, value="{}")


def metavar(key: str) -> str:
    """The placeholder ``cli.metavar_<key>`` for a value in the usage line (``NAME``, ``DIR``…)."""
    return t(f"cli.metavar_{key}", HELP_LANGUAGE)


def _no_type(ctx: Context) -> None:
    """What Typer's help shows in the type column of a parameter: nothing."""
    return None


class LocalisedHelp:
    """Mixin for Typer's command classes: the frame of ``--help`` in :data:`HELP_LANGUAGE`."""

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        """Typer's panels read their titles and labels from ``rich_utils`` constants: set them first."""
        from typer import rich_utils  # Typer itself imports it only to print help

        for constant, key in RICH_FRAME.items():
            setattr(rich_utils, constant, frame_text(key))
        super().format_help(ctx, formatter)  # type: ignore[misc]

    def format_usage(self, ctx: Context, formatter: HelpFormatter) -> None:
        """The usage line, whose ``Usage:`` Click writes unless it is given another prefix."""
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=frame_text("usage") + " ")

    def get_help_option(self, ctx: Context) -> Any:
        """Click's ``--help`` option, described in the student's language."""
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = frame_text("help_option")
        return option

    def get_params(self, ctx: Context) -> list[Parameter]:
        """The parameters, with no English type column: none beside a switch or an argument.

        A switch (``--help``, ``--yes``) takes no value. An argument's localised placeholder
        (``NOME|DIA``) is already in the name column, so its Python type would only repeat it
        in English.
        """
        params: list[Parameter] = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            if getattr(param, "is_flag", False) and param.metavar is None:
                param.metavar = ""
            elif isinstance(param, TyperArgument):
                param.display_type_rich = _no_type  # type: ignore[method-assign]
        return params


class CourseCommand(LocalisedHelp, TyperCommand):
    """Every ``coursekit`` command: Typer's command with its help frame in the student's language."""
